package idkey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPhoneDigits bounds the digits PhoneE164 reads: E.164 allows 15, and a
// national number with an international prefix (8 10, 00) a few more.
const maxPhoneDigits = 20

// PhoneE164 returns phone in E.164 form, "+" and 8 to 15 digits
// ("+77012345678"), or "" if it is not a plausible number. country is the
// ISO 3166-1 alpha-2 code of the country the number is most likely
// national to (a person's nationality, an organisation's country, or the
// post's country); it decides how a number written without its country
// code is read:
//
//   - KZ, RU: 11 digits after a trunk 8 or the country code 7 ("8 701 234
//     56 78", "7 701 2345678"), or 10 digits alone; an international
//     number may follow the old prefix 8 10;
//   - UZ: 9 digits ("90 123 45 67"), or 8 and 9 digits ("8 90 123 45 67");
//   - KG: 9 digits, or the trunk 0 and 9 digits ("0555 123 456");
//   - TJ: 9 digits ("93 123 4567"), or the trunk 8 and 9 digits;
//   - TM: 8 digits ("65 123456"), or the trunk 8 and 8 digits.
//
// A number written with "+" or "00" keeps its country code, and so does one
// that starts with the code of a country of the region and has the length
// of its numbers (998901234567), whatever country says. For the country
// codes of the region the length is checked: +7 has 10 digits after it,
// +998, +996 and +992 have 9, +993 has 8.
//
// Punctuation, spaces and words before the number are ignored; the number
// ends at a letter, a comma, a semicolon or a slash after its first digit,
// so that "8 701 234 56 78 (Beeline)", "… доб. 12" and a second number
// after a comma are left out.
func PhoneE164(phone, country string) string {
	var buf [maxPhoneDigits]byte
	d, intl, ok := phoneDigits(phone, buf[:0])
	if !ok || len(d) == 0 {
		return ""
	}
	cc := countryCode(country)
	if !intl && (cc == "KZ" || cc == "RU") && len(d) > 11 && d[0] == '8' && d[1] == '1' && d[2] == '0' {
		d, intl = d[3:], true // 8 10: the Soviet international prefix
	}
	if !intl && len(d) > 2 && d[0] == '0' && d[1] == '0' {
		d, intl = d[2:], true
	}
	if intl {
		return e164(d)
	}
	if n := national(d, cc); n != "" {
		return n
	}
	if regionNumber(d) {
		return e164(d)
	}
	return ""
}

// phoneDigits appends to buf the digits of the first number in phone, and
// reports whether a "+" came before them. It fails on more than
// maxPhoneDigits digits.
func phoneDigits(phone string, buf []byte) (d []byte, intl, ok bool) {
	for i := 0; i < len(phone); i++ {
		c := phone[i]
		switch {
		case '0' <= c && c <= '9':
			if len(buf) == maxPhoneDigits {
				return nil, false, false
			}
			buf = append(buf, c)
		case c == '+':
			if len(buf) == 0 {
				intl = true
			}
		case len(buf) == 0:
			// words and signs before the number: "tel.", "моб."
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(phone[i:])
			if unicode.IsLetter(r) { // доб., вн. (a no-break space or a dash goes on)
				return buf, intl, true
			}
			i += n - 1
		case c == ',' || c == ';' || c == '/' || 'a' <= c|0x20 && c|0x20 <= 'z':
			return buf, intl, true
		}
	}
	return buf, intl, true
}

// national reads d, the digits of a number written without "+", as a
// national number of the country cc; "" if it is not one.
func national(d []byte, cc string) string {
	n := len(d)
	switch cc {
	case "KZ", "RU":
		if n == 11 && (d[0] == '8' || d[0] == '7') && zone7(d[1]) {
			return plus("7", d[1:])
		}
		if n == 10 && zone7(d[0]) {
			return plus("7", d)
		}
	case "UZ":
		return trunk(d, "998", 9, '8')
	case "KG":
		return trunk(d, "996", 9, '0')
	case "TJ":
		return trunk(d, "992", 9, '8')
	case "TM":
		return trunk(d, "993", 8, '8')
	}
	return ""
}

// trunk reads d as a national number of n digits of the country with
// calling code code and trunk prefix t, or as the number with its code.
func trunk(d []byte, code string, n int, t byte) string {
	switch {
	case len(d) == n && d[0] != '0':
		return plus(code, d)
	case len(d) == n+1 && d[0] == t && d[1] != '0':
		return plus(code, d[1:])
	case len(d) == len(code)+n && string(d[:len(code)]) == code:
		return plus("", d)
	}
	return ""
}

// zone7 reports whether c can begin a national number of +7: Russia's
// zones 3, 4, 8, 9 and Kazakhstan's 6, 7.
func zone7(c byte) bool {
	return c == '3' || c == '4' || c == '6' || c == '7' || c == '8' || c == '9'
}

// regionNumber reports whether d, written without "+", is the full
// international number of a country of the region: 7 and 10 digits, 998,
// 996 or 992 and 9 digits, 993 and 8 digits.
func regionNumber(d []byte) bool {
	switch {
	case len(d) == 11 && d[0] == '7':
		return zone7(d[1])
	case len(d) == 12:
		p := string(d[:3])
		return p == "998" || p == "996" || p == "992"
	case len(d) == 11:
		return string(d[:3]) == "993"
	}
	return false
}

// e164 returns "+" and d, the digits after the "+" of an international
// number, if they are a plausible E.164 number.
func e164(d []byte) string {
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return ""
	}
	switch {
	case d[0] == '7':
		if len(d) != 11 || !zone7(d[1]) {
			return ""
		}
	case len(d) >= 3 && (string(d[:3]) == "998" || string(d[:3]) == "996" || string(d[:3]) == "992"):
		if len(d) != 12 {
			return ""
		}
	case len(d) >= 3 && string(d[:3]) == "993":
		if len(d) != 11 {
			return ""
		}
	}
	return plus("", d)
}

// plus returns "+", code and d.
func plus(code string, d []byte) string {
	var b strings.Builder
	b.Grow(1 + len(code) + len(d))
	b.WriteByte('+')
	b.WriteString(code)
	b.Write(d)
	return b.String()
}

// phoneCountry returns the country of an E.164 number of the region: KZ or
// RU for +7 (by zone), UZ, KG, TJ, TM; "" for other numbers.
func phoneCountry(e string) string {
	switch {
	case strings.HasPrefix(e, "+76"), strings.HasPrefix(e, "+77"):
		return "KZ"
	case strings.HasPrefix(e, "+7"):
		return "RU"
	case strings.HasPrefix(e, "+998"):
		return "UZ"
	case strings.HasPrefix(e, "+996"):
		return "KG"
	case strings.HasPrefix(e, "+992"):
		return "TJ"
	case strings.HasPrefix(e, "+993"):
		return "TM"
	}
	return ""
}
