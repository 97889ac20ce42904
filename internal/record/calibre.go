package record

// CalibreInfo is one entry of the controlled calibre list.
type CalibreInfo struct {
	// Code is the stable identifier stored in records.
	Code string
	// Label is the conventional designation, the same in every language.
	Label string
	// Aliases are other common spellings, for matching a stamped text.
	Aliases []string
}

// Calibres is the controlled calibre list: the calibres met in the region,
// small arms first, then light-weapon ammunition and ordnance.
var Calibres = []CalibreInfo{
	{"5.45x39", "5.45×39mm", []string{"5,45", "5.45", "5.45x39"}},
	{"5.56x45", "5.56×45mm NATO", []string{".223", "5,56", "5.56", "223 rem"}},
	{"7.62x39", "7.62×39mm", []string{"7,62x39", "7.62x39", "m43"}},
	{"7.62x51", "7.62×51mm NATO", []string{".308", "308 win"}},
	{"7.62x54r", "7.62×54mmR", []string{"7,62x54", "7.62x54"}},
	{"7.62x25", "7.62×25mm Tokarev", []string{"7,62x25", "7.62 tt", "tt"}},
	{"7.62x38r", "7.62×38mmR Nagant", []string{"nagant"}},
	{"9x18", "9×18mm Makarov", []string{"9x18", "9 pm", "makarov"}},
	{"9x19", "9×19mm Parabellum", []string{"9mm luger", "9x19", "parabellum"}},
	{"9x17", "9×17mm (.380 ACP)", []string{".380", "380 acp"}},
	{"9x39", "9×39mm", []string{"sp-5", "sp-6"}},
	{"5.6x15r", ".22 LR (5.6×15mmR)", []string{".22", "22 lr", "5,6"}},
	{".45acp", ".45 ACP", []string{"45 acp"}},
	{"12.7x108", "12.7×108mm", []string{"12,7x108", "12.7"}},
	{"12.7x99", "12.7×99mm NATO (.50 BMG)", []string{".50", "50 bmg"}},
	{"14.5x114", "14.5×114mm", []string{"14,5", "14.5"}},
	{"12ga", "12 gauge", []string{"12/70", "12/76", "12 кал"}},
	{"16ga", "16 gauge", []string{"16/70", "16 кал"}},
	{"20ga", "20 gauge", []string{"20/70", "20 кал"}},
	{"32ga", "32 gauge", []string{"32 кал"}},
	{"40mm_vog25", "40mm VOG-25 grenade", []string{"vog-25", "вог-25"}},
	{"40mm_pg7", "40mm PG-7 rocket (RPG-7)", []string{"pg-7", "пг-7", "rpg-7"}},
	{"30mm_vog17", "30mm VOG-17 grenade", []string{"vog-17", "вог-17"}},
	{"40x46", "40×46mm grenade", []string{"m203", "m79"}},
	{"82mm_mortar", "82mm mortar bomb", []string{"82 mm"}},
	{"60mm_mortar", "60mm mortar bomb", []string{"60 mm"}},
	{"73mm_spg9", "73mm SPG-9 round", []string{"spg-9", "спг-9"}},
	{"23x152", "23×152mm", []string{"zu-23"}},
}

var calibreByCode = func() map[string]CalibreInfo {
	m := make(map[string]CalibreInfo, len(Calibres))
	for _, c := range Calibres {
		m[c.Code] = c
	}
	return m
}()

// LookupCalibre returns the entry with the given code.
func LookupCalibre(code string) (CalibreInfo, bool) {
	c, ok := calibreByCode[code]
	return c, ok
}

// Label is the designation to show for a calibre: the controlled label when
// the code is known, the stamped text otherwise.
func (c Calibre) Label() string {
	if info, ok := calibreByCode[c.Code]; ok {
		return info.Label
	}
	return c.Stamped
}
