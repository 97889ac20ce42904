// Package assets embeds the files the application ships with: the icon, and
// the Noto Sans fonts (SIL Open Font License, fonts/OFL.txt) used on screen
// and in printed documents, which cover the Cyrillic and Latin letters of all
// eight of Kordon's languages.
package assets

import "embed"

// FS holds icon.png and fonts/.
//
//go:embed icon.png fonts
var FS embed.FS

// Font file names inside FS.
const (
	FontRegular = "fonts/NotoSans-Regular.ttf"
	FontBold    = "fonts/NotoSans-Bold.ttf"
	Icon        = "icon.png"
)
