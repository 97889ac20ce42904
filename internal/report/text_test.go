package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSanitize(t *testing.T) {
	require.NoError(t, loadFonts())
	s := newSanitizer(fonts.cov)
	require.Equal(t, '\uFFFD', s.missing, "Noto Sans has U+FFFD")
	tests := []struct {
		name, in, line, text string
	}{
		{"ascii", "KZ-DOS-2026-0042", "KZ-DOS-2026-0042", "KZ-DOS-2026-0042"},
		{"region letters", "ӘҒҚҢӨҰҮҺІ ӢӮҲҶ Oʻzbek ÄÇŇÖŞÜÝŽ №×°", "ӘҒҚҢӨҰҮҺІ ӢӮҲҶ Oʻzbek ÄÇŇÖŞÜÝŽ №×°", "ӘҒҚҢӨҰҮҺІ ӢӮҲҶ Oʻzbek ÄÇŇÖŞÜÝŽ №×°"},
		{"emoji", "a🙂b", "a\uFFFDb", "a\uFFFDb"},
		{"flag and zwj", "🇰🇿👮‍♂️", "\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"math letters", "𝟘1", "\uFFFD1", "\uFFFD1"},
		{"controls", "a\x00b\x07c\x1bd\x7fe", "abcde", "abcde"},
		{"line breaks", "a\r\nb\rc\nd\u2028e", "a b c d e", "a\nb\nc\nd\ne"},
		{"tab", "a\tb", "a b", "a b"},
		{"bidi and zero width", "a\u202Eb\u200Bc\uFEFFd", "abcd", "abcd"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"private use", "a\uE000b", "ab", "ab"},
		{"no glyph", "a\u4E2Db", "a\uFFFDb", "a\uFFFDb"},
		{"no-break space kept", "1\u00A0234", "1\u00A0234", "1\u00A0234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.line, s.line(tt.in))
			assert.Equal(t, tt.text, s.text(tt.in))
		})
	}
}

func TestCoverageParse(t *testing.T) {
	require.NoError(t, loadFonts())
	for _, r := range "AZaz09ӘҒҚҢӨҰҮҺІәғқңөұүһі ӢӮҲҶӣӯҳҷ ʻ ÄÇŇÖŞÜÝŽäçňöşüýž «»—–№×" {
		assert.True(t, fonts.cov.has(r), "%q", r)
	}
	assert.False(t, fonts.cov.has('\U0001F642'))
	assert.False(t, fonts.cov.has(-1))
	_, err := parseCoverage([]byte("not a font"))
	assert.Error(t, err)
	_, err = parseCoverage(make([]byte, 64))
	assert.Error(t, err)
}
