package screening

import "strings"

// CountryCode returns the ISO 3166-1 alpha-2 code of a nationality or
// country as the UN list writes it ("Russian Federation", "Iran (Islamic
// Republic of)", "Afghan", "Indonesia (as at Dec. 2003)"), or "" if it is
// not one of the countries the list names often or of the region.
// (internal/record has the codes but not the countries' names.)
func CountryCode(s string) string {
	k := countryKey(s)
	if c, ok := countryNames[k]; ok {
		return c
	}
	// Drop a remark: "Indonesia (as at Dec. 2003)", "United States. Also…".
	if i := strings.IndexAny(s, "(.,"); i > 0 {
		if c, ok := countryNames[countryKey(s[:i])]; ok {
			return c
		}
	}
	// "Sudanese by birth", "Possibly Ethiopian": any word.
	for _, w := range strings.Fields(k) {
		if c, ok := countryNames[w]; ok {
			return c
		}
	}
	return ""
}

func countryKey(s string) string {
	s = strings.ToLower(cleanText(s))
	s = strings.NewReplacer("'", "", "’", "", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// countryNames maps the countries' names and adjectives, as countryKey
// folds them, to their codes.
var countryNames = func() map[string]string {
	m := map[string]string{}
	for code, names := range map[string][]string{
		"AF": {"Afghanistan", "Afghan"},
		"AE": {"United Arab Emirates", "Emirati"},
		"AL": {"Albania", "Albanian"},
		"AZ": {"Azerbaijan", "Azerbaijani"},
		"BA": {"Bosnia and Herzegovina", "Bosnian"},
		"BD": {"Bangladesh", "Bangladeshi"},
		"BE": {"Belgium", "Belgian"},
		"BH": {"Bahrain", "Bahraini"},
		"BY": {"Belarus", "Belarusian"},
		"CA": {"Canada", "Canadian"},
		"CD": {"Democratic Republic of the Congo", "Congolese"},
		"CF": {"Central African Republic"},
		"CH": {"Switzerland", "Swiss"},
		"CN": {"China", "Chinese"},
		"DE": {"Germany", "German"},
		"DK": {"Denmark", "Danish"},
		"DZ": {"Algeria", "Algerian"},
		"EG": {"Egypt", "Egyptian"},
		"ER": {"Eritrea", "Eritrean"},
		"ES": {"Spain", "Spanish"},
		"ET": {"Ethiopia", "Ethiopian"},
		"FR": {"France", "French"},
		"GB": {"United Kingdom of Great Britain and Northern Ireland", "United Kingdom", "British"},
		"GE": {"Georgia", "Georgian"},
		"GW": {"Guinea Bissau"},
		"ID": {"Indonesia", "Indonesian"},
		"IN": {"India", "Indian"},
		"IQ": {"Iraq", "Iraqi"},
		"IR": {"Iran (Islamic Republic of)", "Iran", "Iranian"},
		"IT": {"Italy", "Italian"},
		"JO": {"Jordan", "Jordanian"},
		"KE": {"Kenya", "Kenyan"},
		"KG": {"Kyrgyzstan", "Kyrgyz", "Kyrgyz Republic"},
		"KP": {"Democratic People's Republic of Korea", "DPRK", "North Korea"},
		"KW": {"Kuwait", "Kuwaiti"},
		"KZ": {"Kazakhstan", "Kazakh"},
		"LB": {"Lebanon", "Lebanese"},
		"LY": {"Libya", "Libyan"},
		"MA": {"Morocco", "Moroccan"},
		"ML": {"Mali", "Malian"},
		"MR": {"Mauritania", "Mauritanian"},
		"MY": {"Malaysia", "Malaysian"},
		"NE": {"Niger"},
		"NG": {"Nigeria", "Nigerian"},
		"NL": {"Netherlands", "Dutch"},
		"NO": {"Norway", "Norwegian"},
		"OM": {"Oman", "Omani"},
		"PH": {"Philippines", "Filipino"},
		"PK": {"Pakistan", "Pakistani"},
		"PS": {"State of Palestine", "Palestine", "Palestinian"},
		"QA": {"Qatar", "Qatari"},
		"RU": {"Russian Federation", "Russia", "Russian"},
		"RW": {"Rwanda", "Rwandan"},
		"SA": {"Saudi Arabia", "Saudi Arabian", "Saudi"},
		"SD": {"Sudan", "Sudanese"},
		"SE": {"Sweden", "Swedish"},
		"SN": {"Senegal", "Senegalese"},
		"SO": {"Somalia", "Somali"},
		"SS": {"South Sudan", "South Sudanese"},
		"SY": {"Syrian Arab Republic", "Syria", "Syrian"},
		"TD": {"Chad", "Chadian"},
		"TJ": {"Tajikistan", "Tajik"},
		"TM": {"Turkmenistan", "Turkmen"},
		"TN": {"Tunisia", "Tunisian"},
		"TR": {"Turkey", "Turkish", "Türkiye"},
		"TT": {"Trinidad and Tobago"},
		"TZ": {"United Republic of Tanzania", "Tanzania", "Tanzanian"},
		"UA": {"Ukraine", "Ukrainian"},
		"UG": {"Uganda", "Ugandan"},
		"US": {"United States of America", "United States", "American"},
		"UZ": {"Uzbekistan", "Uzbek"},
		"YE": {"Yemen", "Yemeni"},
	} {
		for _, n := range names {
			m[countryKey(n)] = code
		}
	}
	return m
}()
