package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
)

// Names and texts in the scripts of the region: Kazakh ӘҒҚҢӨҰҮҺІ, Tajik
// ӢӮҲҶ, Uzbek oʻ (U+02BB), Russian, and Latin forms.
const (
	driverName      = "Нұрланов Әлихан Ғалымұлы"
	driverLatin     = "NURLANOV ALIKHAN GALYMULY"
	passengerName   = "Раҳимов Ҷамшед Ӯрунбоевич"
	passengerLatin  = "RAKHIMOV JAMSHED URUNBOEVICH"
	witness1Name    = "Ҳасанова Зарина Ӣсоевна"
	witness2Name    = "Qoʻchqorov Oʻtkir Gʻayratovich"
	interpreterName = "Иванова Мария Петровна"
	officer1Name    = "Сейткали Ерлан Маратұлы"
	officer2Name    = "Oʻrinboyev Shoxrux"
	kazakhLetters   = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
	longSerial      = "ЖҚ7731000000000000000000000000000000000000000000000000000000000000000000000000000042"
)

var (
	recordID   = uuid.MustParse("5f0c2f1e-8a4b-4c1d-9e7f-3a2b1c0d9e8f")
	occurredAt = time.Date(2026, 3, 12, 14, 5, 0, 0, time.FixedZone("ALMT", 5*3600))
	endedAt    = occurredAt.Add(2*time.Hour + 40*time.Minute)
)

// nextID returns a fixed, distinct UUID for test entities.
func nextID(n int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n))
}

// fullRecord is a seizure with every field the protocol prints filled in.
func fullRecord() *record.Interdiction {
	in := &record.Interdiction{
		ID:       recordID,
		Version:  3,
		Status:   record.StatusFinal,
		Number:   "KZ-DOS-2026-0042",
		PostCode: "KZ-DOS",
		Officers: []record.Officer{
			{Name: officer1Name, Rank: "капитан таможенной службы", Position: "главный инспектор отдела таможенного контроля"},
			{Name: officer2Name, Rank: "leytenant", Position: "inspektor-kinolog"},
		},
		OccurredAt:      occurredAt,
		EndedAt:         &endedAt,
		CrossingPoint:   "Достық (темір жол өткізу пункті)",
		LocationType:    "rail",
		GPS:             &record.GPS{Lat: 45.251736, Lon: 82.479217},
		Direction:       "entry",
		Recovery:        "seized",
		LegalBasis:      "illicit_import",
		LegalBasisText:  "ст. 286 УК РК; " + kazakhLetters,
		CriminalContext: []string{"trafficking", "organised_crime"},
		Detection:       []string{"xray", "dog"},
		Transport:       "rail",
		Conveyance: &record.Conveyance{
			Description: "Грузовой вагон, платформа № 4",
			Plate:       "777 ABA 02",
			Country:     "KZ",
			VIN:         "XTA210990Y2766389",
			Container:   "MSCU1234567",
			Voyage:      "Поезд 302Ф",
		},
		Concealment:      []string{"built_compartment", "among_cargo"},
		ConcealmentNote:  "Тайник под полом контейнера, заваренный лист 3 мм",
		Route:            record.Route{Departure: "AF", Transit: []string{"TJ", "UZ"}, Destination: "KZ"},
		LinkedContraband: []string{"drugs", "cash"},
		Narrative: "В ходе таможенного досмотра контейнера MSCU1234567 с помощью ИДК обнаружены аномалии 🙂 под полом. " +
			"Служебная собака «Ҷасур» подала сигнал.\n\nҚосымша: " + kazakhLetters + ". Тоҷикӣ: ӢӮҲҶ ӣӯҳҷ. Oʻzbekcha: oʻq-dorilar.",
		Remarks: "Замечаний от участников не поступило.\x07 Bell removed.",
		People: []record.Person{
			{ID: nextID(1), Role: "driver", Name: driverName, NameLatin: driverLatin, BirthDate: "1985-04-12", Nationality: "KZ",
				DocumentType: "passport", DocumentNumber: "N12345678", DocumentIssuer: "МВД Республики Казахстан",
				Sex: "male", Detained: true, Address: "Алматы, Әуезов ауданы, Ғабдуллин к-сі 12", Phone: "+7 (701) 555-12-34"},
			{ID: nextID(2), Role: "passenger", Name: passengerName, NameLatin: passengerLatin, BirthDate: "1990-11-02", Nationality: "TJ",
				DocumentType: "national_id", DocumentNumber: "A0987654", DocumentIssuer: "ШВКД ш. Хуҷанд"},
			{ID: nextID(3), Role: "witness", Name: witness1Name, NameLatin: "KHASANOVA ZARINA ISOEVNA", BirthDate: "1979-01-30",
				Nationality: "TJ", DocumentType: "passport", DocumentNumber: "400123456", Address: "Хуҷанд, кӯч. Ленин 5"},
			{ID: nextID(4), Role: "witness", Name: witness2Name, NameLatin: "QOCHQOROV OTKIR", BirthDate: "1982-07-19",
				Nationality: "UZ", DocumentType: "passport", DocumentNumber: "AD7654321", Address: "Toshkent, Chilonzor 7-mavze"},
			{ID: nextID(5), Role: "interpreter", Name: interpreterName, NameLatin: "IVANOVA MARIIA", Nationality: "RU",
				DocumentType: "passport", DocumentNumber: "4510 123456"},
		},
		Organisations: []record.Organisation{
			{ID: nextID(6), Role: "carrier", Name: "ТОО «Жетісу Транс»", NameLatin: "Zhetisu Trans LLP", Country: "KZ", Registration: "BIN 120340012345",
				Phone: "+7 727 250 00 00"},
		},
		Items: []record.Item{
			{ID: nextID(11), Kind: record.KindFirearm, Quantity: 1, Packaging: "Полиэтиленовый пакет, опечатан", SealNumber: "KZ-DOS 004211",
				Firearm: &record.Firearm{Category: "assault_rifle", Make: "Kalashnikov", Model: "AKM",
					Calibre:       record.Calibre{Code: "7.62x39", Stamped: "7,62x39"},
					Serials:       []record.Serial{{Part: "receiver", Number: "ЖЖ1234", State: "intact"}, {Part: "bolt", Number: "1234", State: "partly_obliterated"}},
					CountryMarked: "RU", CountryAssessed: "RU", Year: 1978, ImportMark: &record.Mark{Country: "KZ", Year: 2001},
					OtherMarkings: "Звезда в треугольнике", Condition: "factory"}},
			{ID: nextID(12), Kind: record.KindFirearm, Quantity: 1, SealNumber: "KZ-DOS 004212",
				Firearm: &record.Firearm{Category: "pistol", Make: "Izhmekh", Model: "PM",
					Calibre:         record.Calibre{Code: "9x18", Stamped: "9 мм"},
					Serials:         []record.Serial{{Part: "frame", Number: longSerial, State: "intact"}, {Part: "slide", Number: "", State: "obliterated"}},
					CountryAssessed: "RU", Condition: "converted"}},
			{ID: nextID(13), Kind: record.KindPart, Quantity: 2, Description: "Самодельный глушитель",
				Part: &record.Part{Type: "suppressor", Calibre: record.Calibre{Stamped: ".22"}, Markings: "без маркировки",
					Serials: []record.Serial{{Part: "suppressor", State: "none"}}}},
			{ID: nextID(14), Kind: record.KindAmmunition, Quantity: 6, Packaging: "Цинк, вскрыт", SealNumber: "KZ-DOS 004213",
				Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "7.62x39"}, Rounds: 120, Type: "ball",
					HeadstampFactory: "539", HeadstampYear: "87", Lot: "87-539-1234", PackagingMarks: "ПС гж 7,62 539-87"}},
			{ID: nextID(15), Kind: record.KindExplosive, Quantity: 2,
				Explosive: &record.Explosive{Type: "hand_grenade", Count: 2, WeightGrams: 600, EODSafe: true, Markings: "Ф-1 УЗРГМ"}},
			{ID: nextID(16), Kind: record.KindOther, Quantity: 1, Description: "Оптический прицел ПСО-1 № 84123"},
		},
		Custody: []record.CustodyEvent{
			{ID: nextID(21), From: officer1Name, To: "Камера хранения вещественных доказательств ДГД", At: endedAt.Add(time.Hour),
				Place: "Алматы", SealNumber: "KZ-ALM 771", Note: "Пломбы целы"},
		},
	}
	return in
}

// withPhotos adds n photos, all linked to the first item, with tags.
func withPhotos(in *record.Interdiction, shas []string) {
	tags := record.PhotoTags.Codes
	for i, sha := range shas {
		in.Photos = append(in.Photos, record.Photo{
			SHA256: sha, Name: fmt.Sprintf("IMG_2026031%d_%04d.jpg", i%10, 1000+i), MediaType: "image/jpeg",
			Tag: tags[i%len(tags)], TakenBy: officer2Name, TakenAt: occurredAt.Add(time.Duration(i) * time.Minute),
			Item: in.Items[i%len(in.Items)].ID, Caption: fmt.Sprintf("Снимок %d: общий вид", i+1),
		})
	}
}

// manyItems returns fullRecord with n firearms, each with its own serials.
func manyItems(n int) *record.Interdiction {
	in := fullRecord()
	in.Items = nil
	for i := range n {
		in.Items = append(in.Items, record.Item{
			ID: nextID(1000 + i), Kind: record.KindFirearm, Quantity: 1, SealNumber: fmt.Sprintf("SEAL-%05d", i),
			Packaging: "Ящик деревянный",
			Firearm: &record.Firearm{Category: "assault_rifle", Make: "Norinco", Model: "Type 56",
				Calibre: record.Calibre{Code: "7.62x39", Stamped: "7.62"},
				Serials: []record.Serial{
					{Part: "receiver", Number: fmt.Sprintf("SN-%06d", i), State: "intact"},
					{Part: "bolt", Number: fmt.Sprintf("B-%06d", i), State: "intact"},
				},
				CountryMarked: "CN", Condition: "factory"},
		})
	}
	return in
}

// hashOf is the record's content hash, as the application passes it.
func hashOf(t testing.TB, in *record.Interdiction) string {
	t.Helper()
	h, err := in.Hash()
	require.NoError(t, err)
	return h
}

// testPhotos holds phone-sized noisy JPEGs, made once per test binary.
var testPhotos struct {
	once  sync.Once
	store map[string][]byte
	shas  []string
}

// photoSet returns n distinct 4000×3000 JPEGs of a few MB each, keyed by
// SHA-256, and their hashes in order. At most 10 are made.
func photoSet(t testing.TB, n int) (map[string][]byte, []string) {
	t.Helper()
	testPhotos.once.Do(func() {
		const count = 10
		data := make([][]byte, count)
		var wg sync.WaitGroup
		for i := range count {
			wg.Add(1)
			go func() {
				defer wg.Done()
				data[i] = noisyJPEG(4000, 3000, uint64(i))
			}()
		}
		wg.Wait()
		testPhotos.store = make(map[string][]byte, count)
		for _, b := range data {
			sum := sha256.Sum256(b)
			sha := hex.EncodeToString(sum[:])
			testPhotos.store[sha] = b
			testPhotos.shas = append(testPhotos.shas, sha)
		}
	})
	require.LessOrEqual(t, n, len(testPhotos.shas))
	return testPhotos.store, testPhotos.shas[:n]
}

// noisyJPEG draws a scene-like image (gradients, blocks, texture at the
// scale of a few pixels that survives scaling down, sensor noise) and
// encodes it as a phone would: about 4 MB.
func noisyJPEG(w, h int, seed uint64) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(seed, 99))
	const cell = 4
	texture := make([]int, (w/cell+1)*(h/cell+1))
	for i := range texture {
		texture[i] = r.IntN(40) - 20
	}
	tw := w/cell + 1
	for y := range h {
		row := img.Y[y*img.YStride:]
		for x := range w {
			v := 40 + (x*120)/w + (y*60)/h + texture[(y/cell)*tw+x/cell]
			if (x/200+y/150+int(seed))%5 == 0 {
				v += 50
			}
			v += r.IntN(28) - 14
			row[x] = uint8(min(max(v, 0), 255))
		}
	}
	for i := range img.Cb {
		img.Cb[i] = uint8(110 + r.IntN(12) + int(seed))
		img.Cr[i] = uint8(135 + r.IntN(12))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// loader serves photos from a map, as the store would.
func loader(store map[string][]byte) func(string) ([]byte, error) {
	return func(sha string) ([]byte, error) {
		b, ok := store[sha]
		if !ok {
			return nil, fmt.Errorf("photo %s: not in store", sha)
		}
		return b, nil
	}
}

// mustDate parses a YYYY-MM-DD date.
func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
