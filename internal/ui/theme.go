package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/kordon/kordon/assets"
)

// kordonTheme is Fyne's default theme with the embedded Noto Sans for every
// text style, monospace included, so that every letter of the eight
// languages renders (Fyne's monospace font lacks Ҷ and ҷ).
type kordonTheme struct {
	regular, bold fyne.Resource
}

// newTheme loads the fonts from assets; a missing font falls back to Fyne's.
func newTheme() fyne.Theme {
	t := &kordonTheme{}
	if b, err := assets.FS.ReadFile(assets.FontRegular); err == nil {
		t.regular = fyne.NewStaticResource("NotoSans-Regular.ttf", b)
	}
	if b, err := assets.FS.ReadFile(assets.FontBold); err == nil {
		t.bold = fyne.NewStaticResource("NotoSans-Bold.ttf", b)
	}
	return t
}

func (t *kordonTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold && t.bold != nil {
		return t.bold
	}
	if t.regular != nil {
		return t.regular
	}
	return theme.DefaultTheme().Font(s)
}

func (t *kordonTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, v)
}

func (t *kordonTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *kordonTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// appIcon is the window and taskbar icon.
func appIcon() fyne.Resource {
	b, err := assets.FS.ReadFile(assets.Icon)
	if err != nil {
		return nil
	}
	return fyne.NewStaticResource("icon.png", b)
}
