package service_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
	"github.com/kordon/kordon/translations"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	return cat
}

func TestTheOfficeTracesAWeaponFromRequestToAnswer(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	target, err := office.TraceItem(ctx, "kz-dos-2026-0001#1")
	require.NoError(t, err)
	assert.Equal(t, record.KindFirearm, target.Item().Kind)
	byID, err := office.TraceItem(ctx, target.ItemID)
	require.NoError(t, err)
	assert.Equal(t, target.Ref, byID.Ref, "the item's id finds the same item")

	d, err := office.TraceDocument(ctx, target, service.TraceRequestOptions{To: "ru", Priority: "urgent", Urgency: "The same rifle was seized at Torugart.", Officer: "Капитан Ахметов"})
	require.NoError(t, err)
	assert.Equal(t, "RU", d.To)
	assert.Equal(t, "KZ-DOS-2026-0001/1-RU", d.Reference)
	assert.Equal(t, "KZ-ALM", d.Requester.OfficeCode)
	assert.Equal(t, "KZ", d.Requester.Country)
	require.Len(t, d.Item.Serials, 2)

	cat := catalog(t)
	ru, en := cat.For("ru"), cat.For("en")
	dir := t.TempDir()
	pdf, js := filepath.Join(dir, "request.pdf"), filepath.Join(dir, "request.json")
	_, err = office.WriteTraceRequest(ctx, d, pdf, js, false, ru, en)
	require.NoError(t, err)
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	back, err := tracing.ParseDocument(data)
	require.NoError(t, err)
	assert.Equal(t, d, back, "the JSON twin reads back as the request")
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		require.NoError(t, err)
		text := strings.ToUpper(strings.Join(strings.Fields(string(out)), " "))
		for _, want := range []string{"ХА 1234567", "1234567", d.Reference, ru.T("pdf.trace.title"), en.T("pdf.trace.title")} {
			assert.Contains(t, text, strings.ToUpper(strings.Join(strings.Fields(want), " ")))
		}
	}
	_, err = office.WriteTraceRequest(ctx, d, pdf, "", false, ru, en)
	assert.Error(t, err, "a request is not written over")

	due := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	st, err := office.UpdateTrace(ctx, target, tracing.Change{Status: tracing.RequestSent, To: "RU", Reference: d.Reference, Channel: "iarms", Due: due})
	require.NoError(t, err)
	assert.Equal(t, 1, st.Version)
	again, err := office.TraceDocument(ctx, target, service.TraceRequestOptions{To: "RU"})
	require.NoError(t, err)
	assert.Equal(t, d.Reference, again.Reference, "a request printed again keeps the reference of the one sent")

	list, err := office.TraceList(ctx, view.TraceFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, list.Items)
	assert.Equal(t, target.ItemID, list.Items[0].ItemID, "the open request heads the list")
	assert.Equal(t, 1, list.ByStatus[tracing.RequestSent])

	st, err = office.UpdateTrace(ctx, target, tracing.Change{Status: tracing.EstablishedTracing, LastLegalCountry: "RU", Holder: "state_stockpile",
		DiversionCountry: "UA", DiversionType: "theft", DiversionDate: "2014"})
	require.NoError(t, err)
	assert.Equal(t, 2, st.Version)
	assert.Equal(t, time.Now().Format(time.DateOnly), st.Trace.Requests[0].Answered)
	list, err = office.TraceList(ctx, view.TraceFilter{Status: tracing.EstablishedTracing})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, "UA", list.Items[0].State.Trace.Answer.DiversionCountry)

	cur, err := office.Get(ctx, target.Ref)
	require.NoError(t, err)
	assert.Equal(t, 1, cur.Record.Version, "the post's record is not touched")
	require.NoError(t, office.Verify(ctx))
}

func TestBadTracingChangesNothing(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	gun, err := office.TraceItem(ctx, "KZ-DOS-2026-0001#1")
	require.NoError(t, err)
	ammo, err := office.TraceItem(ctx, "KZ-DOS-2026-0001#4")
	require.NoError(t, err)
	require.Equal(t, record.KindAmmunition, ammo.Item().Kind)
	_, err = office.UpdateTrace(ctx, gun, tracing.Change{Status: tracing.RequestSent, To: "RU", Sent: "2026-01-10"})
	require.NoError(t, err)
	before := storetest.Dump(t, office.Dir)

	for _, tc := range []struct {
		name   string
		target *service.TraceTarget
		change tracing.Change
		field  string
	}{
		{"a status that does not apply to ammunition", ammo, tracing.Change{Status: tracing.RequestSent, To: "RU"}, "status"},
		{"an unknown status", gun, tracing.Change{Status: "done"}, "status"},
		{"a due date before the sent date", gun, tracing.Change{Status: tracing.RequestSent, To: "CN", Sent: "2026-02-01", Due: "2026-01-15"}, "requests[1].due"},
		{"an unknown country", gun, tracing.Change{Status: tracing.RequestSent, To: "XX"}, "requests[1].to"},
		{"an unknown diversion country", gun, tracing.Change{Status: tracing.EstablishedTracing, DiversionCountry: "SU"}, "answer.diversion_country"},
		{"back to not attempted", gun, tracing.Change{Status: tracing.NotAttempted}, "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := office.UpdateTrace(ctx, tc.target, tc.change)
			var errs record.Errors
			require.True(t, errors.As(err, &errs), "%v", err)
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Path)
			}
			assert.Contains(t, fields, tc.field)
			assert.Equal(t, before, storetest.Dump(t, office.Dir), "the store is left as it was")
		})
	}
	for _, arg := range []string{"KZ-DOS-2026-0001#9", "KZ-DOS-2026-0001#0", "0b7c4f8e-1111-4000-8000-000000000002", "gun", "KZ-DOS-2026-0099#1"} {
		_, err := office.TraceItem(ctx, arg)
		assert.Error(t, err, arg)
	}
	_, err = office.TraceDocument(ctx, ammo, service.TraceRequestOptions{To: "RU"})
	assert.ErrorIs(t, err, service.ErrNotTraceable)
	for _, opt := range []service.TraceRequestOptions{{To: "XX"}, {}, {To: "RU", Priority: "urgent"}, {To: "RU", Priority: "soon"}} {
		_, err = office.TraceDocument(ctx, gun, opt)
		var errs record.Errors
		assert.True(t, errors.As(err, &errs), "%+v: %v", opt, err)
	}
	assert.Equal(t, before, storetest.Dump(t, office.Dir))
}

func TestAPostKeepsNoTraces(t *testing.T) {
	ctx := context.Background()
	dostyk, _, _ := twoPosts(t)
	gun, err := dostyk.TraceItem(ctx, "KZ-DOS-2026-0001#1")
	require.NoError(t, err)
	_, err = dostyk.UpdateTrace(ctx, gun, tracing.Change{Status: tracing.NotTraceable, Reason: "obliterated"})
	assert.ErrorIs(t, err, service.ErrNotOffice)
	_, err = dostyk.TraceDocument(ctx, gun, service.TraceRequestOptions{To: "RU"})
	assert.NoError(t, err, "a post may print a request for its office")
}

func TestTracingIsOfFinalRecordsAndDemoTracesOnlyTraining(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	addJSON(t, office, seizure(t, "KZ-ALM", func(m map[string]any) { m["status"] = "draft" }))
	_, err := office.TraceItem(ctx, "KZ-ALM-2026-0001#1")
	assert.ErrorIs(t, err, service.ErrTraceDraft, "a draft's weapon is traced once the record is final")

	real, err := office.TraceList(ctx, view.TraceFilter{})
	require.NoError(t, err)
	_, err = office.FillDemo(ctx, 20, 4, 7, nil)
	require.NoError(t, err)
	after, err := office.TraceList(ctx, view.TraceFilter{})
	require.NoError(t, err)
	assert.Equal(t, real.Traced, after.Traced)
	assert.Equal(t, real.Traced, after.ByStatus[tracing.NotAttempted], "no real weapon is traced for practice")
	drill, err := office.TraceList(ctx, view.TraceFilter{Training: true})
	require.NoError(t, err)
	assert.Greater(t, drill.ByStatus[tracing.RequestSent], 0, "the training records' weapons have practice traces")
	require.NoError(t, office.Verify(ctx))
}

func TestARequestIsWrittenWholeWithItsTwinOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	gun, err := office.TraceItem(ctx, "KZ-DOS-2026-0001#1")
	require.NoError(t, err)
	d, err := office.TraceDocument(ctx, gun, service.TraceRequestOptions{To: "RU"})
	require.NoError(t, err)
	ru := catalog(t).For("ru")
	dir := t.TempDir()
	pdf, js := filepath.Join(dir, "r.pdf"), filepath.Join(dir, "r.json")
	require.NoError(t, os.WriteFile(js, []byte("the analyst's notes"), 0o600))
	_, err = office.WriteTraceRequest(ctx, d, pdf, js, false, ru, nil)
	assert.ErrorIs(t, err, service.ErrFileExists)
	assert.NoFileExists(t, pdf, "nothing is written when the twin cannot be")
	_, err = office.WriteTraceRequest(ctx, d, pdf, pdf, true, ru, nil)
	assert.Error(t, err, "the request and its twin in one file")
	assert.NoFileExists(t, pdf)
	kept, err := os.ReadFile(js)
	require.NoError(t, err)
	assert.Equal(t, "the analyst's notes", string(kept))
}
