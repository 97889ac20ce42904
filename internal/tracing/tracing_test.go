package tracing

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
)

var today = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func firearm() *record.Item {
	return &record.Item{ID: uuid.MustParse("5d1f7a52-0000-4000-8000-000000000001"), Kind: record.KindFirearm, Quantity: 1,
		Firearm: &record.Firearm{Category: "assault_rifle", Make: "Izhmash", Model: "AKM", Calibre: record.Calibre{Code: "7.62x39", Stamped: "7,62"},
			Serials: []record.Serial{{Part: "receiver", Number: "ЛХ 4512", State: "intact"}}}}
}

func part(t string) *record.Item {
	return &record.Item{ID: uuid.New(), Kind: record.KindPart, Quantity: 1, Part: &record.Part{Type: t}}
}

func TestApplies(t *testing.T) {
	for _, tc := range []struct {
		name string
		it   *record.Item
		want bool
	}{
		{"firearm", firearm(), true},
		{"barrel", part("barrel"), true},
		{"breech block", part("breech_block"), true},
		{"magazine", part("magazine"), false},
		{"suppressor", part("suppressor"), false},
		{"part without details", &record.Item{Kind: record.KindPart}, false},
		{"ammunition", &record.Item{Kind: record.KindAmmunition}, false},
		{"explosive", &record.Item{Kind: record.KindExplosive}, false},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, Applies(tc.it)) })
	}
}

// paths are the fields errs names, with their message keys.
func paths(errs record.Errors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Path+" "+e.Key)
	}
	return out
}

func sent(to, day string) Request {
	return Request{To: to, Channel: "bilateral", Reference: "R-1", Sent: day}
}

func TestCheck(t *testing.T) {
	answered := sent("RU", "2026-10-01")
	answered.Answered = "2026-11-20"
	for _, tc := range []struct {
		name  string
		it    *record.Item
		prev  *Trace
		trace Trace
		want  []string
	}{
		{"a request sent", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{sent("RU", "2026-11-01")}}, nil},
		{"not traceable with a reason", firearm(), nil, Trace{Status: NotTraceable, Reason: "obliterated"}, nil},
		{"origin by an authority, nothing else", firearm(), nil, Trace{Status: EstablishedAuthority}, nil},
		{"established by tracing", firearm(), &Trace{Status: RequestSent},
			Trace{Status: EstablishedTracing, Requests: []Request{answered}, Answer: &Answer{LastLegalCountry: "UA", Holder: "state_stockpile", DiversionType: "theft", DiversionDate: "2014-03"}}, nil},
		{"unknown status", firearm(), nil, Trace{Status: "lost"}, []string{"status err.unknown_code"}},
		{"ammunition is not traced", &record.Item{Kind: record.KindAmmunition}, nil, Trace{Status: RequestSent, Requests: []Request{sent("RU", "2026-11-01")}},
			[]string{"status " + ErrKind}},
		{"a magazine is not traced", part("magazine"), nil, Trace{Status: NotTraceable, Reason: "no_marking"}, []string{"status " + ErrKind}},
		{"not traceable without why", firearm(), nil, Trace{Status: NotTraceable}, []string{"reason err.required"}},
		{"unknown reason", firearm(), nil, Trace{Status: NotTraceable, Reason: "lazy"}, []string{"reason err.unknown_code"}},
		{"sent without a request", firearm(), nil, Trace{Status: RequestSent}, []string{"requests " + ErrNeedsRequest}},
		{"an answer to nothing answered", firearm(), &Trace{Status: RequestSent},
			Trace{Status: AnswerInsufficient, Requests: []Request{sent("RU", "2026-11-01")}}, []string{"requests " + ErrNeedsRequest}},
		{"established by tracing without an origin", firearm(), &Trace{Status: RequestSent},
			Trace{Status: EstablishedTracing, Requests: []Request{answered}, Answer: &Answer{Text: "they wrote back"}}, []string{"answer " + ErrNeedsOrigin}},
		{"due before sent", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{{To: "RU", Channel: "iarms", Sent: "2026-11-01", Due: "2026-10-01"}}},
			[]string{"requests[0].due " + ErrDueBeforeSent}},
		{"unknown country", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{{To: "XX", Channel: "iarms", Sent: "2026-11-01"}}},
			[]string{"requests[0].to err.country"}},
		{"lower-case country", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{{To: "ru", Channel: "iarms", Sent: "2026-11-01"}}},
			[]string{"requests[0].to err.country"}},
		{"sent in the future", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{sent("RU", "2027-01-01")}}, []string{"requests[0].sent err.future"}},
		{"a date that is not one", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{sent("RU", "2026-02-30")}}, []string{"requests[0].sent err.format"}},
		{"answered before sent", firearm(), &Trace{Status: RequestSent},
			Trace{Status: AnswerInsufficient, Requests: []Request{{To: "RU", Channel: "bilateral", Sent: "2026-11-01", Answered: "2026-10-01"}}},
			[]string{"requests[0].answered err.before_start"}},
		{"unknown channel, no sent date", firearm(), nil, Trace{Status: RequestSent, Requests: []Request{{To: "RU", Channel: "pigeon"}}},
			[]string{"requests[0].channel err.unknown_code", "requests[0].sent err.required"}},
		{"unknown answer codes", firearm(), nil, Trace{Status: EstablishedAuthority, Answer: &Answer{LastLegalCountry: "SU", Holder: "friend", DiversionType: "magic", DiversionDate: "2014-13"}},
			[]string{"answer.last_legal_country err.country", "answer.holder err.unknown_code", "answer.diversion_type err.unknown_code", "answer.diversion_date err.format"}},
		{"a note with a direction override", firearm(), nil, Trace{Status: EstablishedAuthority, Note: "ok\u202egnp.exe"}, []string{"note err.bad_char"}},
		{"back to not attempted", firearm(), &Trace{Status: RequestSent, Requests: []Request{sent("RU", "2026-11-01")}},
			Trace{Status: NotAttempted, Requests: []Request{sent("RU", "2026-11-01")}}, []string{"status " + ErrTransition}},
		{"an origin declared untraceable", firearm(), &Trace{Status: EstablishedAuthority}, Trace{Status: NotTraceable, Reason: "obliterated"},
			[]string{"status " + ErrTransition}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, paths(Check(tc.it, tc.prev, &tc.trace, today)))
		})
	}
}

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{NotAttempted, NotTraceable, true},
		{NotAttempted, RequestSent, true},
		{NotAttempted, EstablishedAuthority, true},
		{NotAttempted, AnswerInsufficient, false},
		{NotAttempted, EstablishedTracing, false},
		{NotTraceable, RequestSent, true}, // a serial restored in the laboratory
		{NotTraceable, NotAttempted, false},
		{RequestSent, RequestSent, true},
		{RequestSent, AnswerInsufficient, true},
		{RequestSent, EstablishedTracing, true},
		{RequestSent, NotAttempted, false},
		{AnswerInsufficient, RequestSent, true}, // ask the next state
		{EstablishedTracing, RequestSent, true}, // the maker names an importer: ask it
		{EstablishedTracing, NotTraceable, false},
		{EstablishedAuthority, NotAttempted, false},
	} {
		assert.Equal(t, tc.want, Allowed(tc.from, tc.to), "%s → %s", tc.from, tc.to)
	}
	for _, s := range Statuses.Codes {
		assert.Equal(t, s, Next(s)[0])
		for _, n := range Next(s) {
			assert.True(t, Statuses.Has(n))
		}
	}
}

// TestApplyLifecycle records a trace as an analyst does: a request to the
// state of manufacture, a second one to the importer, the first answered
// insufficiently, the second establishing the diversion.
func TestApplyLifecycle(t *testing.T) {
	it := firearm()
	step := func(prev *Trace, c Change) *Trace {
		t.Helper()
		next, errs := Apply(it, prev, c, today)
		require.Empty(t, errs, "%v", errs)
		return next
	}
	t1 := step(nil, Change{Status: RequestSent, To: "ru", Reference: "KZ-ALM/2026/17", Due: "2027-01-04"})
	require.Len(t, t1.Requests, 1)
	assert.Equal(t, Request{To: "RU", Channel: "bilateral", Reference: "KZ-ALM/2026/17", Sent: "2026-12-04", Due: "2027-01-04"}, t1.Requests[0])
	assert.Equal(t, "2027-01-04", t1.NextDue())
	assert.False(t, t1.Overdue("2027-01-04"))
	assert.True(t, t1.Overdue("2027-01-05"))

	t2 := step(t1, Change{Status: RequestSent, To: "UA", Channel: "iarms", Reference: "IARMS-99", Sent: "2026-11-20", Due: "2026-12-20"})
	require.Len(t, t2.Requests, 2)
	assert.Equal(t, "2026-12-20", t2.NextDue())
	require.Len(t, t1.Requests, 1, "Apply must not change the trace it starts from")

	_, errs := Apply(it, t2, Change{Status: AnswerInsufficient}, today)
	assert.Equal(t, []string{"requests " + ErrWhichRequest}, paths(errs), "two open requests: which was answered?")
	_, errs = Apply(it, t2, Change{Status: AnswerInsufficient, Reference: "nope"}, today)
	assert.Equal(t, []string{"requests " + ErrNoSuchRequest}, paths(errs))

	t3 := step(t2, Change{Status: AnswerInsufficient, To: "RU", Note: "exported in 1991, no further records"})
	assert.Equal(t, "2026-12-04", t3.Requests[0].Answered)
	assert.True(t, t3.Requests[1].Open())

	t4 := step(t3, Change{Status: EstablishedTracing, Reference: "iarms-99", Answered: "2026-12-03",
		LastLegalCountry: "ua", Holder: "state_stockpile", DiversionCountry: "UA", DiversionType: "theft", DiversionDate: "2014"})
	assert.Equal(t, "2026-12-03", t4.Requests[1].Answered)
	assert.Equal(t, &Answer{LastLegalCountry: "UA", Holder: "state_stockpile", DiversionCountry: "UA", DiversionType: "theft", DiversionDate: "2014"}, t4.Answer)
	assert.Equal(t, "", t4.NextDue())
	assert.Equal(t, "exported in 1991, no further records", t4.Note)

	_, errs = Apply(it, t4, Change{Status: NotAttempted}, today)
	assert.Equal(t, []string{"status " + ErrTransition}, paths(errs))

	nt := step(nil, Change{Status: NotTraceable, Reason: "craft_made"})
	assert.Equal(t, "craft_made", nt.Reason)
	sentLater := step(nt, Change{Status: RequestSent, To: "CN"})
	assert.Empty(t, sentLater.Reason, "a request sent leaves the reason behind")

	_, errs = Apply(it, nil, Change{Status: RequestSent}, today)
	assert.Equal(t, []string{"requests[0].to err.required"}, paths(errs), "a request names its state")
	_, errs = Apply(it, nil, Change{Status: RequestSent, To: "RU", Sent: "2026-11-10", Due: "2026-11-01"}, today)
	assert.Equal(t, []string{"requests[0].due " + ErrDueBeforeSent}, paths(errs))
}

func sampleRecord() *record.Interdiction {
	it := *firearm()
	it.Firearm.Serials = append(it.Firearm.Serials, record.Serial{Part: "bolt", Number: "4512", State: "partly_obliterated"})
	it.Firearm.ImportMark = &record.Mark{Country: "US", Year: 1998}
	it.Firearm.CountryMarked, it.Firearm.CountryAssessed, it.Firearm.Year = "RU", "RU", 1976
	ammo := record.Item{ID: uuid.New(), Kind: record.KindAmmunition, Quantity: 2, Ammunition: &record.Ammunition{Rounds: 60}}
	return &record.Interdiction{
		ID: uuid.MustParse("0b7c4f8e-1111-4000-8000-000000000002"), Version: 2, Status: record.StatusFinal, Number: "KZ-DOS-2026-0042",
		PostCode: "KZ-DOS", OccurredAt: time.Date(2026, 11, 2, 14, 30, 0, 0, time.FixedZone("", 5*3600)), CrossingPoint: "Достык",
		Recovery: "seized", LegalBasis: "illicit_transit", CriminalContext: []string{"trafficking"},
		Route: record.Route{Departure: "CN", Transit: []string{"KZ"}, Destination: "AF"},
		Items: []record.Item{ammo, it},
		Photos: []record.Photo{
			{SHA256: strings.Repeat("a", 64), Tag: "overview", Item: it.ID},
			{SHA256: strings.Repeat("b", 64), Tag: "serial", Item: it.ID, Caption: "receiver"},
			{SHA256: strings.Repeat("c", 64), Tag: "concealment"},
		},
	}
}

func TestNewDocumentAndJSONRoundTrip(t *testing.T) {
	in := sampleRecord()
	req := Requester{Country: "KZ", Agency: "Customs", Office: "Алматы", OfficeCode: "KZ-ALM", Officer: "Капитан Ахметов", Contact: "+7 727 000 00 00"}
	d, err := NewDocument(in, strings.Repeat("e", 64), in.Items[1].ID, "RU", req)
	require.NoError(t, err)
	d.Reference, d.Date, d.Clause = "KZ-DOS-2026-0042/2-RU", "2026-12-04", "Use it for tracing only."
	assert.Equal(t, []string{"receiver", "bolt"}, []string{d.Item.Serials[0].Part, d.Item.Serials[1].Part})
	require.Len(t, d.Photos, 2, "the item's photos only")
	assert.Equal(t, "serial", d.Photos[0].Tag, "serial close-ups first")
	assert.Equal(t, "KZ-DOS", d.Recovery.Post)

	data, err := d.JSON()
	require.NoError(t, err)
	back, err := ParseDocument(data)
	require.NoError(t, err)
	assert.Equal(t, d, back)
	again, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))

	_, err = NewDocument(in, "", in.Items[0].ID, "RU", req)
	assert.ErrorIs(t, err, ErrNotTraced, "ammunition")
	_, err = NewDocument(in, "", uuid.New(), "RU", req)
	assert.ErrorIs(t, err, ErrNotTraced, "not in the record")
}

func TestParseDocumentRefuses(t *testing.T) {
	in := sampleRecord()
	d, err := NewDocument(in, strings.Repeat("e", 64), in.Items[1].ID, "RU", Requester{Country: "KZ", OfficeCode: "KZ-ALM"})
	require.NoError(t, err)
	d.Reference, d.Date, d.Clause = "R-1", "2026-12-04", "For tracing only."
	good, err := d.JSON()
	require.NoError(t, err)
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		f(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	for _, tc := range []struct {
		name string
		data []byte
		path string
	}{
		{"another format", edit(func(m map[string]any) { m["format"] = "kordon-bundle" }), ""},
		{"a field of no version", edit(func(m map[string]any) { m["admin"] = true }), ""},
		{"two values", append(append([]byte{}, good...), good...), ""},
		{"too large", append(good, make([]byte, MaxDocument)...), ""},
		{"unknown state", edit(func(m map[string]any) { m["to"] = "XX" }), "to"},
		{"unknown priority", edit(func(m map[string]any) { m["priority"] = "now" }), "priority"},
		{"ammunition", edit(func(m map[string]any) { m["item"].(map[string]any)["kind"] = "ammunition" }), "item.kind"},
		{"control character", edit(func(m map[string]any) { m["item"].(map[string]any)["make"] = "Iz\x00hmash" }), "item"},
		{"bad photo hash", edit(func(m map[string]any) { m["photos"].([]any)[0].(map[string]any)["sha256"] = "../../etc/passwd" }), "photos"},
		{"no reference", edit(func(m map[string]any) { m["reference"] = "" }), "reference"},
		{"a key in capitals", []byte(strings.Replace(string(good), `"reference"`, `"REFERENCE"`, 1)), ""},
		{"a key twice", []byte(strings.Replace(string(good), `"to": "RU"`, `"to": "XX", "to": "RU"`, 1)), ""},
		{"urgent without why", edit(func(m map[string]any) { m["priority"] = "urgent" }), "urgency"},
		{"no clause", edit(func(m map[string]any) { m["clause"] = "" }), "clause"},
		{"no time of recovery", edit(func(m map[string]any) { m["recovery"].(map[string]any)["at"] = "0001-01-01T00:00:00Z" }), "recovery.at"},
		{"an unknown calibre", edit(func(m map[string]any) { m["item"].(map[string]any)["calibre"] = map[string]any{"code": "42mm"} }), "item.calibre.code"},
		{"a source of no version", edit(func(m map[string]any) { m["source"].(map[string]any)["version"] = -1 }), "source.version"},
		{"an array where an object belongs", edit(func(m map[string]any) { m["item"] = []any{} }), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDocument(tc.data)
			require.Error(t, err)
			var errs record.Errors
			if tc.path == "" {
				return
			}
			require.True(t, errors.As(err, &errs), "%v", err)
			assert.Equal(t, tc.path, errs[0].Path)
		})
	}
}

// FuzzParseDocument: whatever a file holds, ParseDocument returns a
// document or an error, and a document it returns reads back the same
// from its own JSON form.
func FuzzParseDocument(f *testing.F) {
	in := sampleRecord()
	d, _ := NewDocument(in, strings.Repeat("e", 64), in.Items[1].ID, "RU", Requester{Country: "KZ", OfficeCode: "KZ-ALM"})
	d.Reference, d.Date, d.Clause = "R-1", "2026-12-04", "For tracing only."
	good, _ := d.JSON()
	f.Add(good)
	f.Add([]byte(`{"format":"kordon-tracing-request","format_version":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDocument(data)
		if err != nil {
			return
		}
		out, err := d.JSON()
		require.NoError(t, err)
		back, err := ParseDocument(out)
		require.NoError(t, err)
		assert.Equal(t, d, back)
	})
}

// Corrections a reviewer found missing: a reference given to a request
// recorded without one names that request; an ended trace awaits nothing;
// a trace not attempted holds no request; requests go with their status.
func TestApplyNamesTheRequestMeant(t *testing.T) {
	it := firearm()
	step := func(prev *Trace, c Change) *Trace {
		t.Helper()
		next, errs := Apply(it, prev, c, today)
		require.Empty(t, errs, "%v", errs)
		return next
	}
	t1 := step(nil, Change{Status: RequestSent, To: "CN", Sent: "2026-03-05", Due: "2026-04-05"})
	t2 := step(t1, Change{Status: RequestSent, To: "CN", Reference: "CN-2026-77"})
	require.Len(t, t2.Requests, 1, "the reference is the sent request's")
	assert.Equal(t, Request{To: "CN", Channel: "bilateral", Reference: "CN-2026-77", Sent: "2026-03-05", Due: "2026-04-05"}, t2.Requests[0])
	t3 := step(t2, Change{Status: RequestSent, To: "RU"})
	t4 := step(t3, Change{Status: AnswerInsufficient, Request: 2})
	assert.Equal(t, "2026-12-04", t4.Requests[1].Answered)
	assert.True(t, t4.Requests[0].Open())
	_, errs := Apply(it, t4, Change{Status: AnswerInsufficient, Request: 5}, today)
	assert.Equal(t, []string{"requests " + ErrNoSuchRequest}, paths(errs))

	// The origin established, the other request awaits nothing more.
	t5 := step(t4, Change{Status: EstablishedAuthority, LastLegalCountry: "CN"})
	assert.True(t, t5.Requests[0].Open())
	assert.Equal(t, "", t5.NextDue())
	assert.False(t, t5.Overdue("2027-01-01"))

	for _, c := range []Change{
		{Status: NotAttempted, To: "RU", Sent: "2025-12-01"},
		{Status: NotTraceable, Reason: "obliterated", To: "RU"},
		{Status: EstablishedAuthority, To: "RU", Due: "2027-01-01"},
	} {
		_, errs := Apply(it, nil, c, today)
		assert.Equal(t, []string{"status " + ErrRequestStatus}, paths(errs), "%+v", c)
	}
	_, errs = Apply(it, nil, Change{Status: NotAttempted, LastLegalCountry: "RU"}, today)
	assert.Equal(t, []string{"status " + ErrNotAttempted}, paths(errs))
	noted := step(nil, Change{Status: NotAttempted, Note: "Ask the laboratory to restore the serial first."})
	assert.Equal(t, NotAttempted, noted.Status)
}

// A step recorded by mistake is corrected by a later one, the earlier kept
// in the history: a wrong request taken off, the answer cleared, the
// status set back.
func TestACorrectionUndoesAMistake(t *testing.T) {
	it := firearm()
	wrong, errs := Apply(it, nil, Change{Status: RequestSent, To: "RU", Due: "2027-01-01"}, today)
	require.Empty(t, errs)
	_, errs = Apply(it, wrong, Change{Status: NotAttempted, RemoveRequest: 1}, today)
	assert.Equal(t, []string{"correct " + ErrNotCorrection}, paths(errs), "a correction says it is one")
	undone, errs := Apply(it, wrong, Change{Correct: true, Status: NotAttempted, RemoveRequest: 1, Note: "Sent for another rifle by mistake."}, today)
	require.Empty(t, errs, "%v", errs)
	assert.Empty(t, undone.Requests)
	assert.Equal(t, NotAttempted, undone.Status)

	answered, errs := Apply(it, wrong, Change{Status: EstablishedTracing, LastLegalCountry: "RU"}, today)
	require.Empty(t, errs)
	back, errs := Apply(it, answered, Change{Correct: true, Status: RequestSent, Clear: []string{ClearAnswer, ClearAnswered, ClearDue}}, today)
	require.Empty(t, errs, "%v", errs)
	assert.Nil(t, back.Answer)
	require.Len(t, back.Requests, 1)
	assert.True(t, back.Requests[0].Open(), "the answer was recorded against the wrong request")
	assert.Empty(t, back.Requests[0].Due)
	_, errs = Apply(it, answered, Change{Correct: true, Clear: []string{"everything"}}, today)
	assert.Equal(t, []string{"clear err.unknown_code"}, paths(errs))
	_, errs = Apply(it, answered, Change{Correct: true, RemoveRequest: 3}, today)
	assert.Equal(t, []string{"requests " + ErrNoSuchRequest}, paths(errs))
}
