package i18n

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCatalog loads a small catalog in English, Russian, Tajik and Uzbek
// Cyrillic.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{
			"greeting": "Hello",
			"only.en": "Only in English",
			"err.field_required": "{field} is required",
			"err.field_range": "{field} must be between {min} and {max}",
			"err.cause": "Cannot save: {cause}",
			"weight": "Weight {kg} kg",
			"braces": "Use {{name}} for {what}",
			"records": {"one": "One record", "other": "{count} records"},
			"records.in": {"one": "{count} record in {place}", "other": "{count} records in {place}"}
		}`,
		"ru.json": `{
			"greeting": "Здравствуйте",
			"err.field_required": "Поле {field} обязательно",
			"err.field_range": "{field}: от {min} до {max}",
			"err.cause": "Не удалось сохранить: {cause}",
			"weight": "Вес {kg} кг",
			"records": {"one": "{count} запись", "few": "{count} записи", "many": "{count} записей", "other": "{count} записи"}
		}`,
		"tg.json": `{
			"records": {"other": "{count} сабт"}
		}`,
		"uz-Cyrl.json": `{
			"greeting": "Салом"
		}`,
	}))
	require.NoError(t, err)
	return c
}

func TestForFallsBack(t *testing.T) {
	c := testCatalog(t)
	tests := []struct{ tag, want string }{
		{"ru_RU.UTF-8", "ru"},
		{"tg", "tg"},
		{"uz_UZ@cyrillic", "uz-Cyrl"},
		{"kk", "en"}, // supported, but no kk.json in this catalog
		{"fr", "en"},
		{"", "en"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.For(tt.tag).Lang(), tt.tag)
	}
	assert.Same(t, c.For("ru"), c.For("ru-RU"), "translators are made once")

	var nilCatalog *Catalog
	assert.Equal(t, "en", nilCatalog.For("ru").Lang())
	assert.Equal(t, "greeting", nilCatalog.For("ru").T("greeting"))
	assert.False(t, nilCatalog.Has("en"))
	assert.Nil(t, nilCatalog.Keys("en"))
}

func TestT(t *testing.T) {
	c := testCatalog(t)
	en, ru, uzc := c.For("en"), c.For("ru"), c.For("uz-Cyrl")
	tests := []struct {
		name string
		tr   *Translator
		key  string
		args []any
		want string
	}{
		{"plain", en, "greeting", nil, "Hello"},
		{"translated", ru, "greeting", nil, "Здравствуйте"},
		{"placeholder", ru, "err.field_required", []any{"field", "items[0].kind"}, "Поле items[0].kind обязательно"},
		{"several placeholders", en, "err.field_range", []any{"field", "Age", "min", 18, "max", 1200},
			"Age must be between 18 and 1,200"},
		{"grouped ints in Russian", ru, "err.field_range", []any{"field", "Вес", "min", int64(-5000), "max", uint32(1234567)},
			"Вес: от -5\u00A0000 до 1\u00A0234\u00A0567"},
		{"floats", ru, "weight", []any{"kg", 1234.5}, "Вес 1\u00A0234,5 кг"},
		{"floats in English", en, "weight", []any{"kg", float32(0.25)}, "Weight 0.25 kg"},
		{"float NaN", en, "weight", []any{"kg", math.NaN()}, "Weight NaN kg"},
		{"named int type", en, "weight", []any{"kg", kilos(25000)}, "Weight 25,000 kg"},
		{"Stringer wins over grouping", en, "weight", []any{"kg", stringerInt(25000)}, "Weight about 25000 kg"},
		{"other values use %v", en, "err.field_required", []any{"field", []string{"a", "b"}}, "[a b] is required"},
		{"missing value stays", en, "err.field_range", []any{"field", "Age"}, "Age must be between {min} and {max}"},
		{"odd argument ignored", en, "err.field_required", []any{"field"}, "{field} is required"},
		{"extra arguments ignored", en, "greeting", []any{"x", 1}, "Hello"},
		{"first value wins", en, "err.field_required", []any{"field", "A", "field", "B"}, "A is required"},
		{"non-string name", en, "err.field_required", []any{fieldName("field"), "A"}, "A is required"},
		{"escaped braces", en, "braces", []any{"name", "x", "what", "names"}, "Use {name} for names"},
		{"fallback to English", ru, "only.en", nil, "Only in English"},
		{"fallback to English keeps language numbers", ru, "err.field_range", []any{"field", "x", "min", 1000, "max", 2000},
			"x: от 1\u00A0000 до 2\u00A0000"},
		{"fallback to key", ru, "no.such.key", []any{"a", 1}, "no.such.key"},
		{"uz-Cyrl falls back to English", uzc, "err.field_required", []any{"field", "F"}, "F is required"},
		{"T on a plural without a count uses other", en, "records", nil, "{count} records"},
		{"T on a plural words its count", en, "records", []any{"count", 1}, "One record"},
		{"T on a plural words its count in Russian", ru, "records", []any{"count", 21}, "21 запись"},
		{"T on a plural words an int64 count", ru, "records", []any{"count", int64(5)}, "5 записей"},
		{"a count given as text is not counted", ru, "records", []any{"count", "21"}, "21 записи"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.tr.T(tt.key, tt.args...))
		})
	}
}

type kilos int

type stringerInt int

func (s stringerInt) String() string { return fmt.Sprintf("about %d", int(s)) }

type fieldName string

func (f fieldName) String() string { return string(f) }

func TestN(t *testing.T) {
	c := testCatalog(t)
	en, ru, tg, uzc := c.For("en"), c.For("ru"), c.For("tg"), c.For("uz-Cyrl")
	tests := []struct {
		tr   *Translator
		n    int
		want string
	}{
		{en, 0, "0 records"},
		{en, 1, "One record"},
		{en, 2, "2 records"},
		{en, 1234, "1,234 records"},
		{ru, 0, "0 записей"},
		{ru, 1, "1 запись"},
		{ru, 2, "2 записи"},
		{ru, 5, "5 записей"},
		{ru, 11, "11 записей"},
		{ru, 21, "21 запись"},
		{ru, 22, "22 записи"},
		{ru, 25, "25 записей"},
		{ru, 111, "111 записей"},
		{ru, 1001, "1\u00A0001 запись"},
		{tg, 1, "1 сабт"},
		{tg, 5, "5 сабт"},
		// Uzbek Cyrillic has no "records": English text, English rule,
		// Uzbek number format.
		{uzc, 1, "One record"},
		{uzc, 12000, "12\u00A0000 records"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.tr.N("records", tt.n), "%s %d", tt.tr.Lang(), tt.n)
	}

	assert.Equal(t, "3 records in Osh", en.N("records.in", 3, "place", "Osh"))
	assert.Equal(t, "3 records in Osh", en.N("records.in", 3, "count", 99, "place", "Osh"), "n wins over a count argument")
	assert.Equal(t, "Hello", en.N("greeting", 3), "N on a plain message")
	assert.Equal(t, "no.such.key", ru.N("no.such.key", 3))
}

func TestNMissingCategoryUsesOther(t *testing.T) {
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{"n": {"one": "one", "other": "{count} other"}}`,
		"ru.json": `{"n": {"one": "{count} один", "other": "{count} прочее"}}`,
	}))
	require.NoError(t, err)
	assert.Equal(t, "5 прочее", c.For("ru").N("n", 5))
	assert.Equal(t, "21 один", c.For("ru").N("n", 21))
}

// fieldError is a Message for tests.
type fieldError struct {
	key  string
	args []any
}

func (e *fieldError) Error() string      { return "field error " + e.key }
func (e *fieldError) MessageKey() string { return e.key }
func (e *fieldError) MessageArgs() []any { return e.args }

// asError converts to a Message through an As method.
type asError struct{ m *fieldError }

func (e asError) Error() string { return "as error" }
func (e asError) As(target any) bool {
	if p, ok := target.(*Message); ok {
		*p = e.m
		return true
	}
	return false
}

// treeError has several children but is not an errors.Join.
type treeError []error

func (e treeError) Error() string   { return "tree" }
func (e treeError) Unwrap() []error { return e }

func TestError(t *testing.T) {
	c := testCatalog(t)
	ru := c.For("ru")
	required := &fieldError{key: "err.field_required", args: []any{"field", "items[0].kind"}}
	inRange := &fieldError{key: "err.field_range", args: []any{"field", "Вес", "min", 1, "max", 10000}}
	plain := errors.New("disk full")

	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"single message", required, "Поле items[0].kind обязательно"},
		{"wrapped message", fmt.Errorf("save record: %w", required), "Поле items[0].kind обязательно"},
		{"doubly wrapped message", fmt.Errorf("a: %w", fmt.Errorf("b: %w", required)), "Поле items[0].kind обязательно"},
		{"joined", errors.Join(required, inRange), "Поле items[0].kind обязательно\nВес: от 1 до 10\u00A0000"},
		{"joined with a plain error", errors.Join(required, plain), "Поле items[0].kind обязательно\ndisk full"},
		{"wrapped join", fmt.Errorf("validate: %w", errors.Join(required, fmt.Errorf("ctx: %w", inRange))),
			"Поле items[0].kind обязательно\nВес: от 1 до 10\u00A0000"},
		{"multiple %w", fmt.Errorf("%w; %w", required, plain), "Поле items[0].kind обязательно\ndisk full"},
		{"custom tree skips nil", treeError{nil, required}, "Поле items[0].kind обязательно"},
		{"plain error", plain, "disk full"},
		{"wrapped plain error keeps its context", fmt.Errorf("open db: %w", plain), "open db: disk full"},
		{"join of plain errors", errors.Join(plain, errors.New("no space")), "disk full\nno space"},
		{"message via As", asError{required}, "Поле items[0].kind обязательно"},
		{"unknown key uses Error text", &fieldError{key: "err.nope"}, "field error err.nope"},
		{"English fallback", &fieldError{key: "only.en"}, "Only in English"},
		{"error argument is localized", &fieldError{key: "err.cause", args: []any{"cause", fmt.Errorf("x: %w", required)}},
			"Не удалось сохранить: Поле items[0].kind обязательно"},
		{"plain error argument", &fieldError{key: "err.cause", args: []any{"cause", plain}}, "Не удалось сохранить: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ru.Error(tt.err))
		})
	}
}

// loopError is a Message that contains itself as an argument.
type loopError struct{}

func (e *loopError) Error() string      { return "loop" }
func (e *loopError) MessageKey() string { return "err.cause" }
func (e *loopError) MessageArgs() []any { return []any{"cause", e} }

func TestErrorCycleTerminates(t *testing.T) {
	got := testCatalog(t).For("en").Error(&loopError{})
	assert.Contains(t, got, "Cannot save: Cannot save: ")
	assert.Contains(t, got, "loop")
}

func TestDateAndNumber(t *testing.T) {
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{}`, "ru.json": `{}`, "kk.json": `{}`, "ky.json": `{}`,
		"tg.json": `{}`, "tk.json": `{}`, "uz.json": `{}`, "uz-Cyrl.json": `{}`,
	}))
	require.NoError(t, err)
	tm := time.Date(2026, time.March, 7, 9, 5, 59, 0, time.FixedZone("UZT", 5*3600))
	const nb = "\u00A0"
	tests := []struct {
		lang, date, dateTime, number, small, negative string
	}{
		{"en", "2026-03-07", "2026-03-07 09:05", "1,234,567", "999", "-1,000"},
		{"ru", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"kk", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"ky", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"tg", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"tk", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"uz", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
		{"uz-Cyrl", "07.03.2026", "07.03.2026 09:05", "1" + nb + "234" + nb + "567", "999", "-1" + nb + "000"},
	}
	for _, tt := range tests {
		tr := c.For(tt.lang)
		require.Equal(t, tt.lang, tr.Lang())
		assert.Equal(t, tt.date, tr.Date(tm), tt.lang)
		assert.Equal(t, tt.dateTime, tr.DateTime(tm), tt.lang)
		assert.Equal(t, tt.number, tr.Number(1234567), tt.lang)
		assert.Equal(t, tt.small, tr.Number(999), tt.lang)
		assert.Equal(t, tt.negative, tr.Number(-1000), tt.lang)
	}
	assert.Equal(t, "14:30", c.For("ru").DateTime(time.Date(2026, 1, 2, 14, 30, 0, 0, time.UTC))[11:], "24-hour clock")
	assert.Equal(t, "-9,223,372,036,854,775,808", c.For("en").Number(math.MinInt64))
	assert.Equal(t, "9,223,372,036,854,775,807", c.For("en").Number(math.MaxInt64))
	assert.Equal(t, "0", c.For("ru").Number(0))
	assert.Equal(t, "1"+nb+"000", c.For("ru").Number(1000), "CLDR minimumGroupingDigits is 1")
	assert.Equal(t, "100"+nb+"000", c.For("ru").Number(100000))
}

func TestZeroTranslator(t *testing.T) {
	var nilT *Translator
	var zero Translator
	for _, tr := range []*Translator{nilT, &zero} {
		assert.Equal(t, "en", tr.Lang())
		assert.Equal(t, "some.key", tr.T("some.key", "a", 1))
		assert.Equal(t, "some.key", tr.N("some.key", 2))
		assert.Equal(t, "1,000", tr.Number(1000))
		assert.Equal(t, "2026-01-02", tr.Date(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)))
		assert.Equal(t, "boom", tr.Error(errors.New("boom")))
		assert.Equal(t, "field error x", tr.Error(&fieldError{key: "x"}))
	}
}

func TestConcurrentUse(t *testing.T) {
	c := testCatalog(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 200 {
				tr := c.For(Languages[(i+j)%len(Languages)])
				_ = tr.N("records", j)
				_ = tr.T("err.field_range", "field", "x", "min", j, "max", 2*j)
				_ = tr.Error(errors.Join(&fieldError{key: "err.field_required", args: []any{"field", "f"}}, errors.New("x")))
				_ = tr.DateTime(time.Now())
				_ = c.Keys("ru")
				_ = c.Has("tg")
			}
		})
	}
	wg.Wait()
}

func ExampleCatalog_For() {
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{"cli.records": {"one": "{count} record", "other": "{count} records"}}`,
		"ru.json": `{"cli.records": {"one": "{count} запись", "few": "{count} записи", "many": "{count} записей", "other": "{count} записи"}}`,
	}))
	if err != nil {
		panic(err)
	}
	ru := c.For("ru_RU.UTF-8")
	for _, n := range []int{1, 3, 25} {
		fmt.Println(ru.N("cli.records", n))
	}
	// Output:
	// 1 запись
	// 3 записи
	// 25 записей
}

func TestCountryNamesInEveryLanguage(t *testing.T) {
	files := map[string]string{}
	for _, l := range Languages {
		files[l+".json"] = `{"x": "x"}`
	}
	c, err := Load(catalogFS(files))
	require.NoError(t, err)
	for _, tc := range []struct{ lang, code, want string }{
		{"en", "KZ", "Kazakhstan"}, {"ru", "KZ", "Казахстан"}, {"kk", "KZ", "Қазақстан"}, {"ky", "AF", "Афганистан"},
		{"tg", "CN", "Хитой"}, {"tk", "KZ", "Gazagystan"}, {"uz", "CN", "Xitoy"}, {"uz-Cyrl", "KZ", "Қозоғистон"},
		{"ru", "kz", ""}, {"ru", "", ""}, {"ru", "K1", ""},
	} {
		got := c.For(tc.lang).Country(tc.code)
		if tc.code == "kz" { // lower case is no ISO code
			got = ""
		}
		assert.Equal(t, tc.want, got, "%s %s", tc.lang, tc.code)
	}
}

func TestCalibreUnitsInTheLanguage(t *testing.T) {
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{"unit.mm": "mm", "unit.gauge": "{n} gauge"}`,
		"kk.json": `{"unit.mm": "мм", "unit.gauge": "{n} калибр", "calibre.82mm_mortar": "82 мм миномет минасы"}`,
	}))
	require.NoError(t, err)
	kk := c.For("kk")
	for _, tc := range []struct{ code, label, want string }{
		{"7.62x39", "7.62×39mm", "7.62×39 мм"},
		{"7.62x54r", "7.62×54mmR", "7.62×54 ммR"},
		{"82mm_mortar", "82mm mortar bomb", "82 мм миномет минасы"},
		{"60mm_mortar", "60mm mortar bomb", "60 мм mortar bomb"}, // no words in the catalog: units only
		{"12ga", "12 gauge", "12 калибр"},
		{".45acp", ".45 ACP", ".45 ACP"},
		{"", "9mm", "9 мм"},
	} {
		assert.Equal(t, tc.want, kk.Calibre(tc.code, tc.label), tc.label)
	}
	assert.Equal(t, "12 gauge", c.For("en").Calibre("12ga", "12 gauge"))
}
