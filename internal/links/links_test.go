package links_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
)

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		id   string
		kind idkey.Kind
		key  string
		err  error
	}{
		{"weapon:ijmash/XA672039", idkey.Weapon, "ijmash/XA672039", nil},
		{" phone:+77012345678 ", idkey.Phone, "+77012345678", nil},
		{"document:passport//AA123", idkey.Document, "passport//AA123", nil},
		{"rocket:x", "", "", links.ErrKind},
		{"weapon:", "", "", links.ErrClusterID},
		{"weapon", "", "", links.ErrClusterID},
		{"", "", "", links.ErrClusterID},
	} {
		kind, key, err := links.ParseID(c.id)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, c.id)
			continue
		}
		require.NoError(t, err, c.id)
		assert.Equal(t, c.kind, kind)
		assert.Equal(t, c.key, key)
	}
}

func TestCheckVerdict(t *testing.T) {
	for _, c := range []struct {
		verdict, note string
		err           error
	}{
		{links.Same, "", nil},
		{links.Different, "два разных автомата\nпо номеру затвора", nil},
		{links.Unsure, strings.Repeat("я", links.MaxNote), nil},
		{"Same", "", links.ErrVerdict},
		{"", "", links.ErrVerdict},
		{links.Same, strings.Repeat("я", links.MaxNote+1), links.ErrNote},
		{links.Same, "a\x00b", links.ErrNote},
		{links.Same, "a\u202eb", links.ErrNote},
	} {
		err := links.CheckVerdict(c.verdict, c.note)
		if c.err == nil {
			assert.NoError(t, err, c.verdict)
		} else {
			assert.ErrorIs(t, err, c.err, c.verdict)
		}
	}
}

var day = time.Date(2026, 2, 3, 10, 0, 0, 0, time.FixedZone("", 6*3600))

// carrier is a record of the post carrying the identifiers.
func carrier(n int, post string, ids ...idkey.Ident) links.Carrier {
	return links.Carrier{Ref: fmt.Sprintf("dev/%d", n), ID: fmt.Sprint(n), Number: fmt.Sprintf("%s-2026-%04d", post, n),
		PostCode: post, OccurredAt: day.AddDate(0, 0, n), Idents: ids}
}

func TestBuildMergesWhatIsShared(t *testing.T) {
	rifle := idkey.Ident{Kind: idkey.Weapon, Key: "ijmash/XA672039", Label: "AKM XA672039", Entity: "items[0]"}
	serial := idkey.Ident{Kind: idkey.Serial, Key: "XA672039", Label: "AKM XA672039", Entity: "items[0]"}
	driver := idkey.Ident{Kind: idkey.Person, Key: "jasur_urinuv/1984-05-17", Label: "URINOV JASUR", Entity: "people[0]"}
	name := idkey.Ident{Kind: idkey.Name, Key: "jasur_urinuv", Label: "URINOV JASUR", Entity: "people[0]"}
	passport := idkey.Ident{Kind: idkey.Document, Key: "passport/UZ/FA1", Label: "FA1", Entity: "people[0]"}
	other := idkey.Ident{Kind: idkey.Person, Key: "ivan_petruv/1970-01-01", Label: "Petrov Ivan", Entity: "people[1]"}
	recs := []links.Carrier{
		carrier(1, "KZ-DOS", rifle, serial, driver, name, passport),
		carrier(2, "KG-TOR", rifle, serial, driver, name, other),
	}
	n := links.Build(idkey.Weapon, rifle.Key, recs, 2, 100)
	var things []string
	for _, node := range n.Nodes {
		if node.Type != links.NodeRecord {
			things = append(things, fmt.Sprintf("%s %s %d", node.Type, node.Label, node.Records))
		}
	}
	// The rifle and the driver are one node each, seen in both; the
	// passport (a thing of its own) and the other man in one.
	assert.Equal(t, []string{"weapon AKM XA672039 2", "person URINOV JASUR 2", "document FA1 1", "person Petrov Ivan 1"}, things)
	assert.Len(t, n.Edges, 6)
	assert.True(t, n.Nodes[0].Seed && n.Nodes[1].Seed, "both records carry the cluster's key")
	assert.False(t, n.Capped)
}

func TestBuildCapsAndLayoutStaysInTheSquare(t *testing.T) {
	var recs []links.Carrier
	plate := idkey.Ident{Kind: idkey.Plate, Key: "KZ/777ABC02", Label: "777 ABC 02 (KZ)", Entity: "conveyance"}
	for i := 0; i < 10000; i++ {
		own := idkey.Ident{Kind: idkey.Person, Key: fmt.Sprintf("p%d/1980-01-01", i), Label: fmt.Sprint("person ", i), Entity: "people[0]"}
		recs = append(recs, carrier(i, "KZ-DOS", plate, own))
	}
	n := links.Build(idkey.Plate, plate.Key, recs[:200], 10000, 400)
	assert.True(t, n.Capped, "a network cut to its limit says so")
	assert.LessOrEqual(t, len(n.Nodes), 400)
	assert.Equal(t, links.NodeVehicle, n.Nodes[200].Type, "the shared truck comes right after the records")
	assert.Greater(t, n.Found, len(n.Nodes))
	n.Layout()
	again := links.Build(idkey.Plate, plate.Key, recs[:200], 10000, 400)
	again.Layout()
	for i, node := range n.Nodes {
		assert.True(t, node.X >= 0 && node.X <= 1 && node.Y >= 0 && node.Y <= 1)
		assert.Equal(t, node.X, again.Nodes[i].X, "the same network is laid out the same way")
	}
}

func TestWriteANBKeepsFormulasAsText(t *testing.T) {
	cs := []links.Cluster{{Kind: idkey.PlateNumber, Key: "CMD", Label: `=cmd|'/c calc'!A1`, Strength: links.StrengthSuggestion,
		Records: []links.Member{{Number: "+KZ-DOS-2026-0001", OccurredAt: day}, {Number: "@x", OccurredAt: day}}}}
	var b bytes.Buffer
	require.NoError(t, links.WriteANB(&b, cs))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	for _, row := range rows[1:] {
		for _, cell := range row {
			assert.NotContains(t, "=+-@", cell[:1], "a cell a spreadsheet would run: %q", cell)
		}
	}
	assert.Equal(t, "Vehicle", rows[1][4])
	assert.Equal(t, "2026-02-03T10:00:00", rows[1][5])
}

func TestHitsAreWhatTheImportSharesWithWhatWasHeld(t *testing.T) {
	held := links.Member{Ref: "a/1", Number: "KG-TOR-2026-0001", PostCode: "KG-TOR", OccurredAt: day}
	fresh := links.Member{Ref: "b/1", Number: "KZ-DOS-2026-0009", PostCode: "KZ-DOS", OccurredAt: day.AddDate(0, 1, 0)}
	sibling := links.Member{Ref: "b/2", Number: "KZ-DOS-2026-0010", PostCode: "KZ-DOS", OccurredAt: day.AddDate(0, 1, 1)}
	cs := []links.Cluster{
		{Kind: idkey.Weapon, Key: "k1", Label: "XA672039", Strength: links.StrengthLink, Records: []links.Member{held, fresh}},
		// Two records of the same bundle: nothing held before.
		{Kind: idkey.Plate, Key: "k2", Label: "777", Strength: links.StrengthLink, Records: []links.Member{fresh, sibling}},
	}
	hits := links.Hits(cs, map[string]bool{"b/1": true, "b/2": true})
	require.Len(t, hits, 1)
	assert.Equal(t, "weapon:k1", hits[0].Cluster.ID())
	assert.Equal(t, []links.Member{held}, hits[0].Held)
}

func TestWriteFTMKeepsEveryName(t *testing.T) {
	in := &record.Interdiction{Number: "KZ-DOS-2026-0001", PostCode: "KZ-DOS", OccurredAt: day, CrossingPoint: "Достык",
		People: []record.Person{{Role: "driver", Name: "Ўринов Жасур", NameLatin: "URINOV JASUR", BirthDate: "1984-05-17", Nationality: "UZ"}}}
	cs := []links.Cluster{{Kind: idkey.Person, Key: "jasur_urinuv/1984-05-17", Label: "URINOV JASUR", Strength: links.StrengthLink,
		Records: []links.Member{{Ref: "a/1", Number: in.Number, Entity: "people[0]", OccurredAt: day}, {Ref: "a/2", Number: in.Number, Entity: "people[0]", OccurredAt: day}}}}
	var b bytes.Buffer
	require.NoError(t, links.WriteFTM(&b, cs, func(string) (*record.Interdiction, error) { return in, nil }))
	var person struct {
		Schema     string              `json:"schema"`
		Properties map[string][]string `json:"properties"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(b.String(), "\n", 2)[0]), &person))
	assert.Equal(t, "Person", person.Schema)
	assert.Equal(t, []string{"Ўринов Жасур", "URINOV JASUR"}, person.Properties["name"])
	assert.Equal(t, []string{"1984-05-17"}, person.Properties["birthDate"])
	assert.Equal(t, []string{"uz"}, person.Properties["nationality"])
}
