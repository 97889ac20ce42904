// Package demo makes realistic synthetic interdiction records for training,
// screenshots and benchmarks: regional makes, models and calibres, names in
// Cyrillic and Latin scripts, several posts and months. Every record it makes
// is marked as training data.
//
// A few records share an identifier, as those of a trafficking network do
// (see pool.go): the same courier, truck, weapon, company or telephone at
// several posts, written as each post writes it. Every other identifier —
// a weapon's serial, a plate, a passport, a name with a birth date — is
// carried by one record only.
package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
)

// Post is a crossing post the generator places records at.
//
// PostFor returns the synthetic post with the given code, or one made from
// the code and name.
func PostFor(code, name string) Post {
	for _, p := range Posts {
		if p.Code == code {
			return p
		}
	}
	return Post{Code: code, Points: []string{name}, Zone: zone("", 5)}
}

// Post is a crossing post the generator places records at.
type Post struct {
	Code     string
	Points   []string
	Zone     *time.Location
	Language string
}

func zone(name string, hours int) *time.Location { return time.FixedZone(name, hours*3600) }

// Posts are the synthetic posts records are spread over.
var Posts = []Post{
	{"KZ-DOS", []string{"Достык (авто)", "Достык (ж/д)"}, zone("ALMT", 5), "kk"},
	{"KZ-KHO", []string{"Хоргос", "Нур Жолы"}, zone("ALMT", 5), "kk"},
	{"KG-TOR", []string{"Торугарт"}, zone("KGT", 6), "ky"},
	{"KG-DOS", []string{"Достук", "Кара-Суу"}, zone("KGT", 6), "ky"},
	{"TJ-PAN", []string{"Панҷи Поён", "Нижний Пяндж"}, zone("TJT", 5), "tg"},
	{"TM-FAR", []string{"Farap", "Lebap"}, zone("TMT", 5), "tk"},
	{"UZ-TER", []string{"Termiz", "Ayritom"}, zone("UZT", 5), "uz"},
	{"UZ-YAL", []string{"Yallama"}, zone("UZT", 5), "uz"},
}

type firearmModel struct {
	category, make, model, calibre, country string
}

var firearms = []firearmModel{
	{"assault_rifle", "Izhmash", "AKM", "7.62x39", "RU"},
	{"assault_rifle", "Izhmash", "AK-74", "5.45x39", "RU"},
	{"assault_rifle", "Norinco", "Type 56", "7.62x39", "CN"},
	{"carbine", "Tula", "SKS", "7.62x39", "RU"},
	{"rifle", "Izhmash", "Mosin M91/30", "7.62x54r", "RU"},
	{"rifle", "Izhmash", "SVD", "7.62x54r", "RU"},
	{"pistol", "Izhmekh", "PM (Makarov)", "9x18", "RU"},
	{"pistol", "Tula", "TT-33", "7.62x25", "RU"},
	{"pistol", "Glock", "Glock 17", "9x19", "AT"},
	{"pistol", "Zastava", "M57", "7.62x25", "RS"},
	{"revolver", "Tula", "Nagant M1895", "7.62x38r", "RU"},
	{"submachine_gun", "Izhmash", "PP-19 Bizon", "9x18", "RU"},
	{"light_machine_gun", "Degtyarev", "RPK", "7.62x39", "RU"},
	{"light_machine_gun", "Degtyarev", "PKM", "7.62x54r", "RU"},
	{"heavy_machine_gun", "Degtyarev", "DShKM", "12.7x108", "RU"},
	{"shotgun", "Izhmekh", "IZh-27", "12ga", "RU"},
	{"shotgun", "Baikal", "MP-153", "12ga", "RU"},
	{"shotgun", "Hatsan", "Escort", "12ga", "TR"},
	{"grenade_launcher", "Bazalt", "RPG-7", "40mm_pg7", "RU"},
	{"grenade_launcher", "Degtyarev", "GP-25", "40mm_vog25", "RU"},
	{"mortar", "", "2B14 Podnos", "82mm_mortar", "RU"},
}

var surnames = []string{
	"Иванов", "Петров", "Қасымов", "Жұмабеков", "Әлиев", "Нұрланов", "Асанбаев", "Токтогулов",
	"Раҳимов", "Шарипов", "Ғафуров", "Қодиров", "Ўринов", "Шукурова", "Karimov", "Yusupov",
	"Oʻrinov", "Toshmatov", "Berdiýew", "Ataýew", "Şükürowa", "Durdyýew", "Nazarov", "Mirzoev",
}

var givenNames = []string{
	"Иван", "Сергей", "Ерлан", "Айгүл", "Бакыт", "Нурлан", "Фарҳод", "Ҷамшед", "Зарина",
	"Alisher", "Dilnoza", "Jasur", "Merdan", "Gülnara", "Serdar", "Rustam", "Timur", "Madina",
}

var ranks = []string{"лейтенант", "старший лейтенант", "капитан", "майор", "leytenant", "kapitan"}

var routes = [][3]string{
	{"AF", "TJ", "RU"}, {"AF", "UZ", "KZ"}, {"CN", "KZ", "RU"}, {"KG", "KZ", "RU"},
	{"TM", "UZ", "KZ"}, {"TJ", "KG", "KZ"}, {"IR", "TM", "UZ"}, {"PK", "AF", "TJ"},
}

var narratives = []string{
	"При досмотре транспортного средства в тайнике под задним сиденьем обнаружено оружие, обёрнутое в ткань.",
	"Во время рентгеновского контроля груза выявлены предметы, похожие на оружие, среди мешков с сухофруктами.",
	"Жүргізушінің жүгінен оқ-дәрілер табылды. Жүргізуші түсініктеме беруден бас тартты.",
	"Yuk avtomobilining yashirin joyidan qurol va oʻq-dorilar topildi.",
	"Kinologik it ulagyň ýük bölüminde ok-däriniň bardygyny görkezdi.",
	"Ҳангоми санҷиши ҳуҷҷатҳо ва бозрасии бағоҷ силоҳ ва лавозимоти ҷангӣ ёфт шуданд.",
	"Почтовое отправление, задекларированное как запасные части, содержало детали оружия.",
	"Following a tip-off the rail wagon was searched; weapons were found among legitimate cargo.",
}

// Options shape a generated set of records.
type Options struct {
	// Seed makes the output repeatable.
	Seed uint64
	// Start is the earliest time records fall on; they spread over Months.
	Start  time.Time
	Months int
	// Final is the share of records (0..1) that are finalised.
	Final float64
	// Posts are the posts records are spread over; Posts (the variable)
	// if empty.
	Posts []Post
}

// Generator makes records one at a time.
type Generator struct {
	rnd  *rand.Rand
	opts Options
	pool pools
	// The unique numbers of what is not pooled: weapons' serials, plates,
	// passports, people (name and birth date).
	serials, plates, docs, people uniq
}

// New returns a generator. Zero options mean: seed 1, the 12 months from
// 2025-01-01, 80% final, all of Posts.
func New(opts Options) *Generator {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if opts.Months <= 0 {
		opts.Months = 12
	}
	if opts.Final == 0 {
		opts.Final = 0.8
	}
	if len(opts.Posts) == 0 {
		opts.Posts = Posts
	}
	return &Generator{
		rnd: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), opts: opts,
		pool:    newPools(opts.Seed),
		serials: newUniq(uint64(len(serialLetters))*1_000_000, opts.Seed, 1),
		plates:  newUniq(1000*uint64(len(plateLetters)*len(plateLetters)*len(plateLetters))*plateRegions, opts.Seed, 2),
		docs:    newUniq(100_000_000, opts.Seed, 3),
		people:  newUniq(uint64(len(surnameGroups)*len(givenGroups))*birthDays, opts.Seed, 4),
	}
}

// Letters of serials and plates, and how many regions plates have.
var (
	serialLetters = []string{"АК", "ХА", "ВС", "KT", "NS", "ЕМ", "ТО", ""}
	plateLetters  = []string{"A", "B", "C", "E", "H", "K", "M", "O", "P", "T", "X", "Y"}
)

const plateRegions = 20

// birthDays are the birth dates people who are not pooled have: 1960 to
// 1999, 28 days a month.
const birthDays = 40 * 12 * 28

// surnameGroups and givenGroups are surnames and given names by their
// folded form: Ўринов and Oʻrinov are one name written two ways.
var surnameGroups, givenGroups = groupNames(surnames), groupNames(givenNames)

func groupNames(names []string) [][]string {
	var out [][]string
	at := map[string]int{}
	for _, n := range names {
		k := textkey.Latin(n)
		if i, ok := at[k]; ok {
			out[i] = append(out[i], n)
			continue
		}
		at[k] = len(out)
		out = append(out, []string{n})
	}
	return out
}

// person is a name and birth date no other record's person has.
func (g *Generator) person() (name, birth string) {
	v := g.people.next()
	day := int(v % birthDays)
	v /= birthDays
	given, surname := givenGroups[v%uint64(len(givenGroups))], surnameGroups[v/uint64(len(givenGroups))]
	name = pick(g.rnd, surname) + " " + pick(g.rnd, given)
	return name, fmt.Sprintf("%04d-%02d-%02d", 1960+day/(12*28), 1+day/28%12, 1+day%28)
}

// plate is a plate no other record's vehicle has: "123 ABC 02".
func (g *Generator) plate() string {
	v := g.plates.next()
	num, v := v%1000, v/1000
	region, v := v%plateRegions, v/plateRegions
	n := uint64(len(plateLetters))
	return fmt.Sprintf("%03d %s%s%s %02d", num, plateLetters[v%n], plateLetters[v/n%n], plateLetters[v/n/n], region)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *Generator) uuid() uuid.UUID {
	var u uuid.UUID
	for i := range u {
		u[i] = byte(g.rnd.UintN(256))
	}
	u[6] = (u[6] & 0x0f) | 0x40 // version 4
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u
}

// serial is a serial number no other record's weapon has.
func (g *Generator) serial() string {
	v := g.serials.next()
	return fmt.Sprintf("%s%06d", serialLetters[v/1_000_000], v%1_000_000)
}

// Record makes one training record with about items items.
func (g *Generator) Record(items int) *record.Interdiction {
	r := g.rnd
	pooled := g.pooled()
	post := g.postFor(pooled)
	days := g.opts.Months * 30
	at := g.opts.Start.Add(time.Duration(r.IntN(days*24*60)) * time.Minute).In(post.Zone).Truncate(time.Minute)
	ended := at.Add(time.Duration(60+r.IntN(120)) * time.Minute)
	route := pick(r, routes)
	status := record.StatusDraft
	if r.Float64() < g.opts.Final {
		status = record.StatusFinal
	}
	transport := pick(r, []string{"car", "truck", "bus", "rail", "pedestrian", "postal"})
	in := &record.Interdiction{
		ID:       g.uuid(),
		Status:   status,
		PostCode: post.Code,
		Training: true,
		Officers: []record.Officer{{
			Name: pick(r, surnames) + " " + pick(r, givenNames), Rank: pick(r, ranks), Position: "инспектор",
		}},
		OccurredAt:      at,
		EndedAt:         &ended,
		CrossingPoint:   pick(r, post.Points),
		LocationType:    pick(r, []string{"road", "road", "rail", "green_border", "postal_hub"}),
		Direction:       pick(r, record.Directions.Codes),
		Recovery:        pick(r, []string{"seized", "seized", "seized", "found", "surrendered"}),
		LegalBasis:      pick(r, []string{"illicit_import", "illicit_export", "illicit_transit", "illicit_possession", "altered_markings"}),
		CriminalContext: []string{pick(r, record.CriminalContexts.Codes)},
		Detection:       []string{pick(r, record.DetectionMethods.Codes)},
		Transport:       transport,
		Concealment:     []string{pick(r, record.ConcealmentMethods.Codes)},
		Route:           record.Route{Departure: route[0], Transit: []string{route[1]}, Destination: route[2]},
		Narrative:       pick(r, narratives),
	}
	if transport != "pedestrian" && transport != "postal" {
		in.Conveyance = &record.Conveyance{
			Description: pick(r, []string{"Toyota Camry", "КамАЗ-5320", "Mercedes Actros", "ВАЗ-2107", "Daewoo Nexia"}),
			Plate:       g.plate(),
			Country:     route[1],
		}
	}
	if r.IntN(4) == 0 {
		in.LinkedContraband = []string{pick(r, record.ContrabandTypes.Codes)}
	}
	name, birth := g.person()
	in.People = []record.Person{{
		ID:             g.uuid(),
		Role:           pick(r, []string{"driver", "passenger", "pedestrian", "sender"}),
		Name:           name,
		BirthDate:      birth,
		Nationality:    pick(r, record.RegionCountries),
		DocumentType:   "passport",
		DocumentNumber: fmt.Sprintf("N%08d", g.docs.next()),
		Sex:            pick(r, record.Sexes.Codes),
		Detained:       r.IntN(2) == 0,
	}, {
		ID: g.uuid(), Role: "witness", Name: pick(r, surnames) + " " + pick(r, givenNames),
	}}
	for i := 0; i < items; i++ {
		in.Items = append(in.Items, g.item())
	}
	if pooled != nil {
		g.plant(in, pooled, post)
	}
	return in
}

func (g *Generator) item() record.Item {
	r := g.rnd
	it := record.Item{ID: g.uuid(), Quantity: 1, SealNumber: fmt.Sprintf("%07d", r.IntN(10_000_000))}
	switch n := r.IntN(10); {
	case n < 6:
		m := pick(r, firearms)
		state := pick(r, []string{"intact", "intact", "intact", "partly_obliterated", "obliterated"})
		serial := record.Serial{Part: "frame", State: state}
		if state != "obliterated" {
			serial.Number = g.serial()
		}
		it.Kind = record.KindFirearm
		it.Firearm = &record.Firearm{
			Category: m.category, Make: m.make, Model: m.model,
			Calibre:       record.Calibre{Code: m.calibre, Stamped: calibreStamp(m.calibre)},
			Serials:       []record.Serial{serial},
			CountryMarked: m.country, CountryAssessed: m.country,
			Year:      1950 + r.IntN(70),
			Condition: pick(r, []string{"factory", "factory", "factory", "converted", "craft_made", "reactivated"}),
		}
	case n < 8:
		m := pick(r, firearms)
		it.Kind = record.KindAmmunition
		it.Quantity = 1 + r.IntN(5)
		it.Ammunition = &record.Ammunition{
			Calibre: record.Calibre{Code: m.calibre}, Rounds: it.Quantity * 20 * (1 + r.IntN(10)),
			Type: pick(r, []string{"ball", "ball", "tracer", "armour_piercing"}), HeadstampFactory: pick(r, []string{"539", "3", "711", "60"}),
			HeadstampYear: fmt.Sprint(1970 + r.IntN(50)),
		}
	case n < 9:
		it.Kind = record.KindPart
		it.Part = &record.Part{Type: pick(r, []string{"magazine", "barrel", "bolt", "suppressor"})}
		if it.Part.Type == "magazine" {
			it.Quantity = 1 + r.IntN(6)
		}
	default:
		it.Kind = record.KindExplosive
		it.Explosive = &record.Explosive{Type: pick(r, []string{"hand_grenade", "detonator", "tnt"}), Count: 1 + r.IntN(4)}
		it.Quantity = it.Explosive.Count
	}
	return it
}

func calibreStamp(code string) string {
	if c, ok := record.LookupCalibre(code); ok && len(c.Aliases) > 0 {
		return c.Aliases[0]
	}
	return ""
}
