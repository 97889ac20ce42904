package demo

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/kordon/kordon/internal/record"
)

// The repeats a trafficking network leaves: the same courier, truck,
// weapon, company or telephone seen at several posts over several months,
// written each time as that post writes it. A small share of records
// (poolShare) carries one identifier of the pool, each used in 2 to 6
// records, the second at another post than the first; the pool is renewed
// as its identifiers are used up, so the share holds at any size. What the
// pool plants never meets what the rest of the generator makes: every other
// identifier is unique (see uniq).
const (
	poolShare  = 0.035 // of records
	poolActive = 3     // identifiers of each kind in use at a time
	poolMinUse = 2
	poolMaxUse = 6
)

// The kinds of pooled identifier.
const (
	poolPerson  = iota // name in Cyrillic and Latin, birth date, passport
	poolTruck          // plate and country, and a VIN
	poolWeapon         // make and serial
	poolCompany        // registration
	poolPhone          // a number in local and international form
	poolKinds
)

// entity is one pooled thing and how often it is still to be seen.
type entity struct {
	kind      int
	uses      int // records it is to appear in
	used      int // records it appeared in so far
	firstPost string

	// A person: the name's words in Cyrillic and Latin (surname first),
	// birth date, nationality, passport series and number.
	name      [2][2]string
	birth     string
	country   string // nationality; a truck's, company's or phone's country
	sex       string
	docSeries string
	docNumber string

	// A truck: plate (region, number, letters), description, VIN.
	plateRegion, plateNumber int
	plateLetters             [3]int
	desc, vin                string

	// A weapon.
	model        firearmModel
	serialPrefix int
	serialNumber int

	// A company: name words (Cyrillic, Latin), legal form, registration.
	org   [2]string
	role  string
	reg   string
	phone phoneNumber
}

// Network people were born from 2000 to 2006, other records' people
// before: their keys never meet.
const networkBirthYears = 7

// Network people: surnames and given names in Cyrillic and as passports'
// machine-readable zones write them; each pair folds to one name key.
var (
	networkSurnames = [][2]string{
		{"Ўринов", "URINOV"}, {"Каримов", "KARIMOV"}, {"Юсупов", "YUSUPOV"}, {"Тошматов", "TOSHMATOV"},
		{"Мирзоев", "MIRZOEV"}, {"Қодиров", "QODIROV"}, {"Жұмабеков", "ZHUMABEKOV"}, {"Асанбаев", "ASANBAEV"},
		{"Токтогулов", "TOKTOGULOV"}, {"Бердыев", "BERDYEV"}, {"Эргашев", "ERGASHEV"}, {"Абдуллаев", "ABDULLAEV"},
		{"Исмоилов", "ISMOILOV"}, {"Холматов", "KHOLMATOV"}, {"Нурматов", "NURMATOV"}, {"Ғафуров", "GAFUROV"},
	}
	networkGiven = [][2]string{
		{"Жасур", "JASUR"}, {"Рустам", "RUSTAM"}, {"Алишер", "ALISHER"}, {"Фарход", "FARKHOD"},
		{"Бахтиёр", "BAKHTIYOR"}, {"Сердар", "SERDAR"}, {"Ерлан", "YERLAN"}, {"Бакыт", "BAKYT"},
		{"Шухрат", "SHUKHRAT"}, {"Ҷамшед", "JAMSHED"}, {"Улугбек", "ULUGBEK"}, {"Азамат", "AZAMAT"},
		{"Мердан", "MERDAN"}, {"Дилшод", "DILSHOD"}, {"Санжар", "SANJAR"}, {"Отабек", "OTABEK"},
	}
	// Passport series of the network's people, by nationality.
	passportSeries = map[string][]string{
		"KZ": {"N", "KZ"}, "KG": {"AC", "ID"}, "TJ": {"A", "B"}, "TM": {"A", "B"}, "UZ": {"FA", "AB", "AD"},
	}

	// Letters that look alike in both alphabets, as plates are typed.
	plateLatin    = []string{"A", "B", "E", "K", "M", "H", "O", "P", "C", "T", "X"}
	plateCyrillic = []string{"А", "В", "Е", "К", "М", "Н", "О", "Р", "С", "Т", "Х"}
	trucks        = []struct{ desc, wmi, country string }{
		{"КамАЗ-65115", "XTC", "KZ"}, {"КамАЗ-5320", "XTC", "KG"}, {"Mercedes Actros", "WDB", "UZ"},
		{"Volvo FH", "YV2", "KZ"}, {"MAN TGX", "WMA", "TJ"}, {"Howo A7", "LZZ", "KG"},
		{"Shacman X3000", "LZG", "UZ"}, {"DAF XF", "XLR", "TM"},
	}
	// Serial prefixes of the network's weapons: letters that look alike,
	// none of those the other weapons have.
	weaponPrefixCyr = []string{"ХН", "МК", "ТХ", "СА", "РЕ", "КМ"}
	weaponPrefixLat = []string{"XH", "MK", "TX", "CA", "PE", "KM"}

	// Companies' names: two words, Cyrillic and Latin, and their legal
	// forms by country.
	orgWords = [][2]string{
		{"Восток", "Vostok"}, {"Азия", "Aziya"}, {"Евразия", "Evraziya"}, {"Памир", "Pamir"},
		{"Алтай", "Altay"}, {"Каспий", "Kaspiy"}, {"Самарканд", "Samarkand"}, {"Арал", "Aral"},
		{"Турон", "Turon"}, {"Барс", "Bars"}, {"Сункар", "Sunkar"}, {"Тянь-Шань", "Tyan-Shan"},
	}
	orgTrades = [][2]string{
		{"Транзит", "Tranzit"}, {"Карго", "Kargo"}, {"Логистик", "Logistik"}, {"Экспресс", "Ekspress"},
		{"Трейд", "Treyd"}, {"Транс", "Trans"}, {"Авто", "Avto"}, {"Сервис", "Servis"},
	}
	orgForms = map[string][2]string{"KZ": {"ТОО", "LLP"}, "KG": {"ОсОО", "LLC"}, "UZ": {"МЧЖ", "MChJ"}}
	orgRoles = []string{"carrier", "consignor", "consignee", "forwarder"}
	// The countries of the network's companies and telephones.
	networkCountries = []string{"KZ", "KG", "UZ"}
)

// phoneNumber is a mobile number: its country, operator code and
// subscriber number.
type phoneNumber struct {
	country  string
	operator string
	sub      int
}

// Mobile operator codes by country, and the digits of a subscriber number.
var (
	operators = map[string][]string{
		"KZ": {"700", "701", "702", "705", "707", "747", "771", "775", "777", "778"},
		"KG": {"555", "550", "700", "701", "770", "772", "777", "999"},
		"UZ": {"90", "91", "93", "94", "95", "97", "98", "99", "33", "88"},
	}
	subDigits = map[string]int{"KZ": 7, "KG": 6, "UZ": 7}
)

// local is the number as written at home: "8 701 234 56 78",
// "0555 123 456", "90 123 45 67".
func (p phoneNumber) local() string {
	switch s := fmt.Sprintf("%0*d", subDigits[p.country], p.sub); p.country {
	case "KZ":
		return "8 " + p.operator + " " + s[:3] + " " + s[3:5] + " " + s[5:]
	case "KG":
		return "0" + p.operator + " " + s[:3] + " " + s[3:]
	default:
		return p.operator + " " + s[:3] + " " + s[3:5] + " " + s[5:]
	}
}

// international is the number with its country code: "+7 701 234 5678",
// "+996 555 123 456", "+998 90 123-45-67".
func (p phoneNumber) international() string {
	switch s := fmt.Sprintf("%0*d", subDigits[p.country], p.sub); p.country {
	case "KZ":
		return "+7 " + p.operator + " " + s[:3] + " " + s[3:]
	case "KG":
		return "+996 " + p.operator + " " + s[:3] + " " + s[3:]
	default:
		return "+998 " + p.operator + " " + s[:3] + "-" + s[3:5] + "-" + s[5:]
	}
}

// pools are the generator's pooled identifiers in use and the unique
// numbers they are made from.
type pools struct {
	active [poolKinds][]*entity
	person uniq // network name × birth date
	doc    uniq // passport number
	plate  uniq
	vin    uniq
	weapon uniq
	reg    uniq
	phone  map[string]*uniq
}

func newPools(seed uint64) pools {
	p := pools{
		person: newUniq(uint64(len(networkSurnames)*len(networkGiven)*networkBirthYears*12*28), seed, 11),
		doc:    newUniq(10_000_000, seed, 12),
		plate:  newUniq(20*1000*11*11*11, seed, 13),
		vin:    newUniq(10_000_000, seed, 14),
		weapon: newUniq(uint64(len(weaponPrefixLat))*1_000_000, seed, 15),
		reg:    newUniq(100_000_000, seed, 16),
		phone:  map[string]*uniq{},
	}
	for i, cc := range networkCountries {
		u := newUniq(uint64(len(operators[cc]))*pow10(subDigits[cc]), seed, 17+uint64(i))
		p.phone[cc] = &u
	}
	return p
}

func pow10(n int) uint64 {
	p := uint64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// pooled decides whether the next record carries a pooled identifier, and
// which: one of those in use, or a new one. It returns nil for most
// records. An identifier used for the last time leaves the pool.
func (g *Generator) pooled() *entity {
	r := g.rnd
	if r.Float64() >= poolShare {
		return nil
	}
	k := r.IntN(poolKinds)
	act := g.pool.active[k]
	var e *entity
	if len(act) < poolActive {
		e = g.newEntity(k)
		g.pool.active[k] = append(act, e)
	} else {
		i := r.IntN(len(act))
		e = act[i]
		if e.used+1 == e.uses {
			g.pool.active[k] = append(act[:i], act[i+1:]...)
		}
	}
	return e
}

// postFor picks the post of a record: the second record of a pooled
// identifier is at another post than its first.
func (g *Generator) postFor(e *entity) Post {
	posts := g.opts.Posts
	if e == nil || e.used != 1 || len(posts) < 2 {
		return pick(g.rnd, posts)
	}
	first := 0
	for i, p := range posts {
		if p.Code == e.firstPost {
			first = i
			break
		}
	}
	i := g.rnd.IntN(len(posts) - 1)
	if i >= first {
		i++
	}
	return posts[i]
}

// newEntity makes a pooled identifier of kind k.
func (g *Generator) newEntity(k int) *entity {
	r, p := g.rnd, &g.pool
	e := &entity{kind: k, uses: poolMinUse + r.IntN(poolMaxUse-poolMinUse+1)}
	switch k {
	case poolPerson:
		v := p.person.next()
		day := int(v % (networkBirthYears * 12 * 28))
		v /= networkBirthYears * 12 * 28
		given, surname := networkGiven[v%uint64(len(networkGiven))], networkSurnames[v/uint64(len(networkGiven))]
		e.name = [2][2]string{{surname[0], given[0]}, {surname[1], given[1]}}
		e.birth = fmt.Sprintf("%04d-%02d-%02d", 2000+day/(12*28), 1+day/28%12, 1+day%28)
		e.country = pick(r, record.RegionCountries)
		e.sex = "male"
		e.docSeries = pick(r, passportSeries[e.country])
		e.docNumber = fmt.Sprintf("%07d", p.doc.next())
	case poolTruck:
		t := pick(r, trucks)
		v := p.plate.next()
		e.plateNumber, v = int(v%1000), v/1000
		e.plateRegion, v = 1+int(v%20), v/20
		for i := range e.plateLetters {
			e.plateLetters[i], v = int(v%11), v/11
		}
		e.desc, e.country = t.desc, t.country
		e.vin = fmt.Sprintf("%s%s%07d", t.wmi, "65117S", p.vin.next()) + "00"
		e.vin = e.vin[:17]
	case poolWeapon:
		for e.model.make == "" {
			e.model = pick(r, firearms)
		}
		v := p.weapon.next()
		e.serialPrefix, e.serialNumber = int(v/1_000_000), int(v%1_000_000)
	case poolCompany:
		e.country = pick(r, networkCountries)
		w, t := pick(r, orgWords), pick(r, orgTrades)
		e.org = [2]string{w[0] + "-" + t[0], w[1] + "-" + t[1]}
		e.role = pick(r, orgRoles)
		v := p.reg.next()
		switch e.country {
		case "KZ": // BIN: 12 digits
			e.reg = fmt.Sprintf("%02d%02d4%07d", 5+v%20, 1+v/20%12, v/240)
		case "KG": // INN: 14 digits
			e.reg = fmt.Sprintf("0%02d%02d%09d", 1+v%28, 1+v/28%12, v/336)
		default: // INN: 9 digits
			e.reg = fmt.Sprintf("3%08d", v)
		}
	case poolPhone:
		e.country = pick(r, networkCountries)
		ops := operators[e.country]
		v := p.phone[e.country].next()
		e.phone = phoneNumber{e.country, ops[v%uint64(len(ops))], int(v / uint64(len(ops)))}
	}
	return e
}

// plant writes the pooled identifier into the record, as the post writes
// it: names in the post's script, numbers with or without spaces, letters
// typed in either alphabet.
func (g *Generator) plant(in *record.Interdiction, e *entity, post Post) {
	r := g.rnd
	if e.used == 0 {
		e.firstPost = post.Code
	}
	e.used++
	latin := post.Language == "uz" || post.Language == "tm"
	switch e.kind {
	case poolPerson:
		p := &in.People[0]
		cyr := e.name[0][0] + " " + e.name[0][1]
		lat := e.name[1][0] + " " + e.name[1][1]
		p.Name, p.NameLatin = cyr, ""
		switch {
		case latin:
			p.Name = lat
		case r.IntN(3) == 0:
			p.NameLatin = lat
		}
		p.BirthDate, p.Nationality, p.Sex, p.DocumentType = e.birth, e.country, e.sex, "passport"
		sep := ""
		if r.IntN(2) == 0 {
			sep = " "
		}
		p.DocumentNumber = e.docSeries + sep + e.docNumber
	case poolTruck:
		letters := plateLatin
		if !latin && r.IntN(2) == 0 {
			letters = plateCyrillic
		}
		l := e.plateLetters
		in.Transport = "truck"
		in.Conveyance = &record.Conveyance{
			Description: e.desc,
			Plate:       fmt.Sprintf("%02d %03d %s%s%s", e.plateRegion, e.plateNumber, letters[l[0]], letters[l[1]], letters[l[2]]),
			Country:     e.country,
		}
		if r.IntN(5) < 3 {
			in.Conveyance.VIN = e.vin
		}
	case poolWeapon:
		if len(in.Items) == 0 {
			return
		}
		i := r.IntN(len(in.Items))
		m := e.model
		var serial string
		switch r.IntN(3) {
		case 0:
			serial = fmt.Sprintf("%s %06d", weaponPrefixCyr[e.serialPrefix], e.serialNumber)
		case 1:
			serial = fmt.Sprintf("%s-%06d", weaponPrefixLat[e.serialPrefix], e.serialNumber)
		default:
			serial = fmt.Sprintf("%s%06d", weaponPrefixLat[e.serialPrefix], e.serialNumber)
		}
		in.Items[i] = record.Item{ID: in.Items[i].ID, Kind: record.KindFirearm, Quantity: 1, SealNumber: in.Items[i].SealNumber,
			Firearm: &record.Firearm{
				Category: m.category, Make: m.make, Model: m.model,
				Calibre:       record.Calibre{Code: m.calibre, Stamped: calibreStamp(m.calibre)},
				Serials:       []record.Serial{{Part: "frame", State: "intact", Number: serial}},
				CountryMarked: m.country, CountryAssessed: m.country,
				Condition: pick(r, []string{"factory", "factory", "converted"}),
			}}
	case poolCompany:
		form := orgForms[e.country]
		o := record.Organisation{ID: g.uuid(), Role: e.role, Country: e.country, Registration: e.reg}
		if latin {
			o.Name = e.org[1] + " " + form[1]
		} else {
			o.Name = form[0] + " «" + e.org[0] + "»"
			if r.IntN(3) == 0 {
				o.NameLatin = strings.ToUpper(e.org[1]) + " " + form[1]
			}
		}
		if r.IntN(2) == 0 {
			o.Registration = spaced(e.reg)
		}
		in.Organisations = append(in.Organisations, o)
	case poolPhone:
		p := &in.People[0]
		p.Nationality = e.country
		if r.IntN(2) == 0 {
			p.Phone = e.phone.local()
		} else {
			p.Phone = e.phone.international()
		}
	}
}

// spaced writes a number in groups of four digits, as forms often do.
func spaced(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// uniq hands out the numbers 0 to n-1, each once (after n, again), in an
// order that looks random: a bijection of a counter, by a few rounds of
// multiply and xor-shift on the next power of two, walked until the value
// falls below n. The generator makes every identifier it does not pool from
// one, so that no two records share one by chance.
type uniq struct {
	n, mask, key, m1, m2 uint64
	shift                uint
	count                uint64
}

func newUniq(n, seed, domain uint64) uniq {
	w := max(bits.Len64(n-1), 2)
	k := splitmix(seed ^ splitmix(domain))
	return uniq{n: n, mask: 1<<w - 1, shift: uint(w+1) / 2, key: k, m1: splitmix(k) | 1, m2: splitmix(k+1) | 1}
}

// next is the next number.
func (u *uniq) next() uint64 {
	x := u.count % u.n
	u.count++
	for {
		x = (x ^ u.key) & u.mask
		x = (x * u.m1) & u.mask
		x ^= x >> u.shift
		x = (x * u.m2) & u.mask
		x ^= x >> u.shift
		if x < u.n {
			return x
		}
	}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
