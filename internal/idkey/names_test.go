package idkey

import (
	"strings"
	"testing"

	"github.com/kordon/kordon/internal/textkey"
	"github.com/stretchr/testify/assert"
)

// TestLatinOfPatronymics pins what textkey.Latin makes of patronymics and
// their particles, which NameKey recognises in folded form: if textkey's
// folding changes, this test says where NameKey needs looking at.
func TestLatinOfPatronymics(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Russian-style patronymics: -vich, -vna survive folding.
		{"Бахтиёрович", "bahteruvich"},
		{"Bakhtiyorovich", "bahteruvich"},
		{"Рустамович", "rustamuvich"},
		{"Рустамовна", "rustamuvna"},
		{"Сергеевич", "sergevich"},
		{"Alievna", "alevna"},
		{"Mälikgulyýewiç", "malikgulevich"}, // Turkmen -ewiç
		{"Mälikgulyýewna", "malikgulevna"},
		// -ич, -ична do not end in -vich: NameKey also takes -ichna.
		{"Ильич", "ilich"},
		{"Кузьмич", "kuzmich"},
		{"Никитична", "nikitichna"},
		{"Ильинична", "ilinichna"},
		// Son of: Uzbek, Azerbaijani, Turkmen, Kyrgyz, Kazakh.
		{"угли", "ugli"},
		{"ўғли", "ugli"},
		{"ўгли", "ugli"},
		{"oʻgʻli", "ugli"},
		{"o'g'li", "ugli"},
		{"o‘g‘li", "ugli"},
		{"ogli", "ugli"},
		{"оглы", "ugli"},
		{"ogly", "ugli"},
		{"oğlu", "uglu"}, // not ugli: u and y are different letters at the end
		{"оглу", "uglu"},
		{"уулу", "ulu"}, // the double u is one
		{"uulu", "ulu"},
		{"ұлы", "uli"},
		{"Әбішұлы", "abishuli"},
		{"Abishuly", "abishuli"},
		// Daughter of.
		{"қизи", "kizi"},
		{"кизи", "kizi"},
		{"qizi", "kizi"},
		{"кызы", "kizi"},
		{"kyzy", "kizi"},
		{"qızı", "kizi"},
		{"гызы", "gizi"}, // г stays g, not k
		{"gyzy", "gizi"},
		{"Нурланқызы", "nurlankizi"},
	} {
		assert.Equal(t, tc.want, textkey.Latin(tc.in), "Latin(%q)", tc.in)
	}
}

// TestLatinOfLegalForms pins what textkey.Latin makes of the abbreviated
// legal forms, some of which fold to surprisingly short words.
func TestLatinOfLegalForms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ТОО", "tu"}, {"TOO", "tu"},
		{"ООО", "u"}, {"OOO", "u"}, // o is u, and a letter written twice counts once
		{"ОсОО", "usu"}, {"ОАО", "uau"}, {"ЗАО", "zau"}, {"ПАО", "pau"}, {"АО", "au"},
		{"ИП", "ip"}, {"ЧП", "chp"},
		{"МЧЖ", "mchj"}, {"MChJ", "mchj"}, {"АЖ", "aj"},
		{"ХК", "hk"}, {"XK", "hk"}, {"QK", "k"}, // q is k, kk is k
		{"ЖШС", "jshs"}, {"ЖЧК", "jchk"}, {"ҶДММ", "jdm"},
		{"LLC", "lk"}, {"LLP", "lp"}, {"Ltd", "ltd"}, {"Inc", "ink"}, {"Co", "ku"},
		{"JSC", "jsk"}, {"CJSC", "kjsk"}, {"OJSC", "ujsk"}, {"GmbH", "gmbh"},
	} {
		assert.Equal(t, tc.want, textkey.Latin(tc.in), "Latin(%q)", tc.in)
	}
}

func TestNameKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ўринов Бахтиёр", "bahter_urinuv"},
		{"Ўринов Бахтиёр Рустамович", "bahter_urinuv"},
		{"Бахтиёр Рустамович Ўринов", "bahter_urinuv"}, // name, patronymic, surname
		{"Urinov Baxtiyor Rustam oʻgʻli", "bahter_urinuv"},
		{"Ahmedov Alisher Ravshan o‘g‘li", "ahmeduv_alisher"},
		{"Ahmedova Dilnoza Ravshan qizi", "ahmeduva_dilnuza"},
		{"Мамедов Эльчин Рашид оглы", "elchin_mameduv"},
		{"Ибрагимова Гулнора Рустамовна", "gulnura_ibragimuva"},
		{"Назарбаев Нурсултан Әбішұлы", "nazarbaev_nursultan"},
		{"Иванова Мария Никитична", "ivanuva_maria"},
		// Kyrgyz: the father's name with uulu is the surname.
		{"Адылбек уулу Эркин", "adilbek_erkin"},
		{"ERKIN ADYLBEK UULU", "adilbek_erkin"},
		// A -vich surname is kept; the patronymic after the name goes.
		{"Абрамович Роман Аркадьевич", "abramuvich_ruman"},
		{"ABRAMOVICH<<ROMAN", "abramuvich_ruman"},
		{"Абрамович Роман", "abramuvich_ruman"},
		{"Бахтиёр Рустамович", "bahter_rustamuvich"}, // two words: nothing to drop
		// Initials are dropped.
		{"Иванов И.И.", ""},
		{"Иванов Иван И.", "ivan_ivanuv"},
		// Too little left.
		{"", ""},
		{"   ", ""},
		{"Бахтиёр", ""},
		{"Бахтиёр ўғли", ""},
		{"--- ???", ""},
		{"A B C", ""},
	} {
		assert.Equal(t, tc.want, NameKey(tc.in), "NameKey(%q)", tc.in)
	}
}

// TestNameKeySame lists spellings of one person that must give one key.
func TestNameKeySame(t *testing.T) {
	for _, group := range [][]string{
		{"Ўринов Бахтиёр", "URINOV BAKHTIYOR", "Bakhtiyor Urinov", "Ўринов Бахтиёр Рустамович",
			"Oʻrinov Baxtiyor", "O'rinov Baxtiyor", "O‘rinov Baxtiyor", "O`rinov Baxtiyor", "Уринов Бахтиёр",
			"URINOV<<BAKHTIYOR", "  ўринов   бахтиёр  ", "Urinov Baxtiyor Rustam oʻgʻli"},
		{"Жұмабеков Ерлан", "Жумабеков Ерлан", "ZHUMABEKOV YERLAN", "Jumabekov Erlan", "Yerlan Zhumabekov", "Джумабеков Ерлан Серикович"},
		{"Қасымов Нурлан", "Kasymov Nurlan", "Qasymov Nurlan", "Kasimov Nurlan"},
		{"Шукурова Джерен", "Şükürowa Jeren", "Shukurova Dzheren", "ŞÜKÜROWA JEREN"},
		{"Ёқубов Шерзод", "Yoqubov Sherzod", "EKUBOV SHERZOD", "Еқубов Шерзод Ботирович"},
		{"Раҳмонов Фаррух", "Rahmonov Farrukh", "RAHMONOV FARRUH"},
		{"Асанов Бакыт", "Asanov Bakyt", "Асанов Бакыт Жумабекович"},
	} {
		want := NameKey(group[0])
		assert.NotEmpty(t, want, group[0])
		for _, name := range group[1:] {
			assert.Equal(t, want, NameKey(name), "%s and %s", group[0], name)
		}
	}
}

// TestNameKeyDifferent lists names that must not meet.
func TestNameKeyDifferent(t *testing.T) {
	for _, pair := range [][2]string{
		{"Ўринов Бахтиёр", "Ўринов Рустам"},
		{"Иванов Иван", "Иванова Ивана"},
		{"Ахмедов Алишер", "Ахмедова Алишер"},
		{"Якубов Шерзод", "Yoqubov Sherzod"}, // Uzbek o for Russian а is kept apart by textkey
		{"Ivanov Ivan", "Ivanov Ivan Petr"},
	} {
		assert.NotEqual(t, NameKey(pair[0]), NameKey(pair[1]), "%s and %s", pair[0], pair[1])
	}
}

func TestNameKeyLong(t *testing.T) {
	long := strings.Repeat("Абдурахмонов ", 40) + "Бахтиёр"
	k := NameKey(long)
	assert.NotEmpty(t, k)
	assert.LessOrEqual(t, len(k), maxNameKey)
	assert.False(t, strings.HasSuffix(k, "_"))
}

func TestOrgKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`ТОО "Восток-Транзит"`, "tranzit_vustuk"},
		{"«Ориент» МЧЖ", "urent"},
		{`OOO "Silk Road Logistics"`, "lugistiks_ruad_silk"},
		{"Товарищество с ограниченной ответственностью «Восток-Транзит»", "tranzit_vustuk"},
		{"Восток-Транзит жауапкершілігі шектеулі серіктестігі", "jauapkershiligi_seriktestigi_shekteuli_tranzit_vustuk"}, // declined: not the phrase
		{"Восток-Транзит жауапкершілігі шектеулі серіктестік", "tranzit_vustuk"},
		{"Samarqand Savdo MChJ", "samarkand_savdu"},
		{"Samarqand Savdo Masʼuliyati cheklangan jamiyat", "samarkand_savdu"},
		{"Ак Жол АО", "ak_jul"}, // Kazakh ак (white) is a word, not a legal form
		{"Kyrgyz Trans Co., Ltd.", "kirgiz_trans"},
		{"ҶДММ «Помир Транс»", "pumir_trans"},
		{"ОсОО «Азия Карго»", "azia_kargu"},
		{"ЖЧК Азия Карго", "azia_kargu"},
		{"ЖШС Қазтрансавто", "kaztransavtu"},
		{"Norinco GmbH", "nurinku"},
		{"ТОО", ""},
		{"LLC LLP Ltd Inc", ""},
		{"", ""},
		{"«»", ""},
		{"7", ""},
	} {
		assert.Equal(t, tc.want, OrgKey(tc.in), "OrgKey(%q)", tc.in)
	}
}

func TestOrgKeySame(t *testing.T) {
	for _, group := range [][]string{
		{`«ТОО "Восток-Транзит"»`, "Vostok-Tranzit LLP", "VOSTOK TRANZIT", "Восток Транзит", "ТОО Восток-Транзит",
			`Vostok Tranzit, LLC`, "ЖШС «Восток-Транзит»", "Товарищество с ограниченной ответственностью Восток-Транзит",
			"Vostok-Tranzit Limited Liability Partnership", "vostok-tranzit ltd"},
		{"ООО «Ташкент Экспорт»", "Tashkent Eksport MChJ", "«Ташкент Экспорт» МЧЖ", "TASHKENT EKSPORT LLC", "Eksport Tashkent"},
		{"ОАО «Ижмаш»", "Izhmash OJSC", "IZHMASH JSC", "АО Ижмаш"},
	} {
		want := OrgKey(group[0])
		assert.NotEmpty(t, want, group[0])
		for _, name := range group[1:] {
			assert.Equal(t, want, OrgKey(name), "%s and %s", group[0], name)
		}
	}
}

// TestLegalFormsEveryScript checks that each legal form is dropped whatever
// the case or quotes it is written with.
func TestLegalFormsEveryScript(t *testing.T) {
	for _, form := range []string{
		"ТОО", "тоо", "TOO", "ООО", "ооо", "OOO", "ОсОО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ЧП",
		"MChJ", "MCHJ", "МЧЖ", "XK", "ХК", "QK", "LLC", "llc", "LLP", "Ltd", "LTD", "Limited", "Inc", "INC",
		"JSC", "CJSC", "OJSC", "GmbH", "Co", "CO", "ЖШС", "ЖЧК", "ҶДММ", "ҷдмм", "Corp", "PLC", "AJ", "АЖ",
	} {
		for _, name := range []string{form + " Восток", "Восток " + form, "«" + form + "» Восток", `"Восток" ` + form + "."} {
			assert.Equal(t, "vustuk", OrgKey(name), "OrgKey(%q)", name)
		}
	}
}
