package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// recordView shows one record: every field, its items and people, and its
// version history with the audit trail.
type recordView struct {
	a  *App
	id string
	// version is the version shown, when it is an earlier one; 0 shows
	// the current version.
	version int
}

func newRecordView(a *App, id string) *recordView { return &recordView{a: a, id: id} }

func (v *recordView) name() string { return navRecords }

// details is a two-column list of the fields that have a value.
type details struct {
	a     *App
	cells []fyne.CanvasObject
}

func (d *details) add(key, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	k := widget.NewLabel(d.a.T(key))
	k.TextStyle.Bold = true
	val := widget.NewLabel(value)
	val.Wrapping = fyne.TextWrapWord
	d.cells = append(d.cells, k, val)
}

func (d *details) code(key string, voc record.Vocabulary, code string) {
	if code != "" {
		d.add(key, d.a.T(voc.LabelKey(code)))
	}
}

func (d *details) codes(key string, voc record.Vocabulary, codes []string) {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = d.a.T(voc.LabelKey(c))
	}
	d.add(key, strings.Join(labels, ", "))
}

func (d *details) object() fyne.CanvasObject {
	return container.New(layout.NewFormLayout(), d.cells...)
}

// columns lays the fields out in two columns, for compact item cards.
func (d *details) columns() fyne.CanvasObject {
	half := (len(d.cells)/2 + 1) / 2 * 2
	return container.NewGridWithColumns(2,
		container.New(layout.NewFormLayout(), d.cells[:half]...),
		container.New(layout.NewFormLayout(), d.cells[half:]...))
}

func (v *recordView) build() fyne.CanvasObject {
	a := v.a
	cur, err := a.svc.Get(a.ctx, v.id)
	if err != nil {
		a.showError(err)
		return widget.NewLabel(a.tr.Error(err))
	}
	in := cur.Record
	latest := in.Version
	var old *view.Version
	if v.version != 0 && v.version != in.Version {
		if old, err = a.svc.Version(a.ctx, v.id, v.version); err != nil {
			a.showError(err)
			return widget.NewLabel(a.tr.Error(err))
		}
		in = old.Record
		cur = &view.Current{Version: *old}
	}
	title := heading(a.T("ui.record.title", "number", in.Number, "version", strconv.Itoa(in.Version),
		"status", a.T(record.Statuses.LabelKey(in.Status))))
	// An earlier version is read and printed, never changed.
	editable := old == nil && a.svc.Editable(a.ctx, in)
	buttons := container.NewHBox()
	if editable {
		edit := widget.NewButtonWithIcon(a.T("ui.record.edit"), theme.DocumentCreateIcon(), func() { a.show(newForm(a, in)) })
		edit.Importance = widget.HighImportance
		buttons.Add(edit)
	}
	if editable && in.Status == record.StatusDraft {
		buttons.Add(widget.NewButtonWithIcon(a.T("ui.form.finalise"), theme.ConfirmIcon(), func() {
			a.confirm(a.T("ui.form.finalise"), a.T("ui.form.finalise_question"), a.T("ui.form.finalise"), func() {
				if err := a.svc.Finalise(a.ctx, v.id); err != nil {
					// The draft lacks what a final record needs: show it in
					// the form, next to the fields.
					f := newForm(a, in)
					a.show(f)
					f.finalise()
					return
				}
				a.rebuild()
			})
		}))
	}
	buttons.Add(widget.NewButtonWithIcon(a.T("ui.protocol.print"), theme.DocumentPrintIcon(), func() {
		if old != nil {
			a.printProtocol(in, in.Version)
		} else {
			a.printProtocol(in, 0) // the current version, whatever opened it
		}
	}))
	buttons.Add(widget.NewButtonWithIcon(a.T("ui.record.back"), theme.NavigateBackIcon(), func() { a.show(newRecords(a)) }))
	// The title gives way to the buttons: it is cut short with an ellipsis
	// rather than widen the window past a 1024-pixel screen.
	title.Truncation = fyne.TextTruncateEllipsis
	top := container.NewBorder(nil, nil, nil, buttons, title)
	switch {
	case old != nil:
		current := widget.NewButtonWithIcon(a.T("ui.record.open_current"), theme.NavigateNextIcon(), func() { a.show(newRecordView(a, v.id)) })
		banner := message(a.T("ui.record.old_version", "version", strconv.Itoa(in.Version), "current", strconv.Itoa(latest)), widget.WarningImportance)
		top = container.NewVBox(top, container.NewBorder(nil, nil, nil, current, banner))
	case !editable:
		// A post's record at the office: read, printed, never changed here.
		top = container.NewVBox(top, message(a.T("ui.record.read_only", "post", in.PostCode), widget.MediumImportance))
	}

	d := &details{a: a}
	d.add("ui.f.when", a.tr.DateTime(in.OccurredAt))
	if in.EndedAt != nil {
		d.add("ui.f.ended", a.tr.DateTime(*in.EndedAt))
	}
	d.add("field.crossing_point", in.CrossingPoint)
	if g := in.GPS; g != nil {
		d.add("ui.f.gps", fmt.Sprintf("%.6f, %.6f", g.Lat, g.Lon))
	}
	d.code("field.location_type", record.LocationTypes, in.LocationType)
	d.code("field.direction", record.Directions, in.Direction)
	d.code("field.recovery", record.RecoveryTypes, in.Recovery)
	d.code("field.no_person", record.NoPersonReasons, in.NoPerson)
	d.code("field.legal_basis", record.LegalBases, in.LegalBasis)
	d.add("ui.f.legal_basis_text", in.LegalBasisText)
	d.codes("field.detection", record.DetectionMethods, in.Detection)
	d.codes("field.criminal_context", record.CriminalContexts, in.CriminalContext)
	var officers []string
	for _, o := range in.Officers {
		officers = append(officers, strings.TrimSpace(o.Rank+" "+o.Name))
	}
	d.add("field.officer", strings.Join(officers, "; "))
	d.code("field.transport", record.TransportModes, in.Transport)
	if c := in.Conveyance; c != nil {
		d.add("ui.f.plate", c.Plate)
		d.add("ui.f.registration_country", a.country(c.Country))
		d.add("ui.f.vin", c.VIN)
		d.add("ui.f.container", c.Container)
		d.add("ui.f.voyage", c.Voyage)
		d.add("ui.f.conveyance_description", c.Description)
	}
	d.add("ui.f.departure", a.country(in.Route.Departure))
	d.add("ui.f.transit", a.countries(in.Route.Transit))
	d.add("ui.f.destination", a.country(in.Route.Destination))
	d.codes("field.concealment", record.ConcealmentMethods, in.Concealment)
	d.add("ui.f.concealment_note", in.ConcealmentNote)
	d.codes("ui.f.linked_contraband", record.ContrabandTypes, in.LinkedContraband)
	d.add("field.narrative", in.Narrative)
	d.add("ui.f.remarks", in.Remarks)
	d.add("field.post_code", in.PostCode)
	d.add("field.id", in.ID.String())
	d.add("field.hash", cur.Hash)

	items := container.NewVBox()
	for i := range in.Items {
		items.Add(v.item(i, &in.Items[i], in, old == nil))
	}
	people := container.NewVBox()
	for _, p := range in.People {
		pd := &details{a: a}
		pd.code("ui.f.role", record.PersonRoles, p.Role)
		pd.add("ui.f.person_name", p.Name)
		pd.add("ui.f.name_latin", p.NameLatin)
		pd.add("ui.f.birth_date", p.BirthDate)
		pd.add("ui.f.nationality", a.country(p.Nationality))
		pd.code("ui.f.document_type", record.DocumentTypes, p.DocumentType)
		pd.add("ui.f.document_number", p.DocumentNumber)
		pd.add("ui.f.document_issuer", p.DocumentIssuer)
		pd.add("ui.f.phone", p.Phone)
		pd.code("ui.f.sex", record.Sexes, p.Sex)
		if p.Detained {
			pd.add("ui.f.detained_title", a.T("ui.f.detained"))
		}
		pd.add("ui.f.address", p.Address)
		people.Add(widget.NewCard("", "", pd.object()))
	}

	orgs := container.NewVBox()
	for _, o := range in.Organisations {
		od := &details{a: a}
		od.code("ui.f.org_role", record.OrganisationRoles, o.Role)
		od.add("ui.f.org_name", o.Name)
		od.add("ui.f.name_latin", o.NameLatin)
		od.add("ui.f.org_country", a.country(o.Country))
		od.add("ui.f.registration", o.Registration)
		od.add("ui.f.phone", o.Phone)
		orgs.Add(widget.NewCard("", "", od.object()))
	}

	body := container.NewVBox()
	if p, _ := a.svc.Post(a.ctx); p.Role == service.RoleOffice && !editable && old == nil {
		body.Add(v.remarks())
	}
	if old == nil && !cur.Deleted {
		body.Add(v.recordHits(in))
		body.Add(v.recordLinks(in))
	}
	body.Add(widget.NewCard(a.T("ui.record.details"), "", d.object()))
	body.Add(widget.NewCard(a.T("ui.record.items", "counts", a.countsText(in.Counts())), "", items))
	if len(in.People) > 0 {
		body.Add(widget.NewCard(a.T("ui.record.people"), "", people))
	}
	if len(in.Organisations) > 0 {
		body.Add(widget.NewCard(a.T("ui.record.organisations"), "", orgs))
	}
	if len(in.Photos) > 0 {
		photos := container.New(&columns{n: 3})
		for _, ph := range in.Photos {
			tag := ""
			if ph.Tag != "" {
				tag = a.T(record.PhotoTags.LabelKey(ph.Tag))
			}
			caption := widget.NewLabel(strings.TrimSpace(tag + " · " + ph.Name))
			caption.Truncation = fyne.TextTruncateEllipsis
			open := widget.NewButtonWithIcon(a.T("ui.photo.open"), theme.ZoomInIcon(), func() { a.openPhoto(ph) })
			photos.Add(container.NewVBox(a.thumbnail(ph.SHA256), container.NewBorder(nil, nil, nil, open, caption)))
		}
		body.Add(widget.NewCard(a.T("ui.group.photos"), "", photos))
	}
	custody := container.NewVBox()
	for _, c := range in.Custody {
		cd := &details{a: a}
		cd.add("ui.f.when", a.tr.DateTime(c.At))
		cd.add("ui.f.custody_from", c.From)
		cd.add("ui.f.custody_to", c.To)
		cd.add("ui.f.place", c.Place)
		cd.add("ui.f.seal_number", c.SealNumber)
		cd.add("ui.f.note", c.Note)
		custody.Add(widget.NewCard("", "", cd.object()))
	}
	if editable {
		custody.Add(container.NewHBox(widget.NewButtonWithIcon(a.T("ui.form.add_custody"), theme.ContentAddIcon(), func() { a.addCustody(in) })))
	}
	body.Add(widget.NewCard(a.T("ui.group.custody"), "", custody))
	body.Add(widget.NewCard(a.T("ui.record.history"), "", v.history()))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
}

func (v *recordView) item(i int, it *record.Item, in *record.Interdiction, current bool) fyne.CanvasObject {
	a := v.a
	d := &details{a: a}
	d.add("ui.f.quantity", a.tr.Number(int64(it.Quantity)))
	d.add("ui.f.description", it.Description)
	switch {
	case it.Firearm != nil:
		f := it.Firearm
		d.code("ui.f.firearm_category", record.FirearmCategories, f.Category)
		d.add("ui.f.make", f.Make)
		d.add("ui.f.model", f.Model)
		d.add("ui.f.calibre", calibreText(a.tr, f.Calibre))
		d.code("ui.f.condition", record.FirearmConditions, f.Condition)
		d.add("ui.f.country_marked", a.country(f.CountryMarked))
		d.add("ui.f.country_assessed", a.country(f.CountryAssessed))
		if f.Year != 0 {
			d.add("ui.f.year", strconv.Itoa(f.Year))
		}
		d.add("ui.f.other_markings", f.OtherMarkings)
		d.add("ui.f.serials", v.serials(f.Serials))
	case it.Part != nil:
		p := it.Part
		d.code("ui.f.part_type", record.PartTypes, p.Type)
		d.add("ui.f.make", p.Make)
		d.add("ui.f.model", p.Model)
		d.add("ui.f.calibre", calibreText(a.tr, p.Calibre))
		d.add("ui.f.markings", p.Markings)
		d.add("ui.f.serials", v.serials(p.Serials))
	case it.Ammunition != nil:
		am := it.Ammunition
		d.add("ui.f.calibre", calibreText(a.tr, am.Calibre))
		d.add("ui.f.rounds", a.tr.Number(int64(am.Rounds)))
		d.code("ui.f.ammunition_type", record.AmmunitionTypes, am.Type)
		d.add("ui.f.headstamp_factory", am.HeadstampFactory)
		d.add("ui.f.headstamp_year", am.HeadstampYear)
		d.add("ui.f.lot", am.Lot)
		d.add("ui.f.packaging_marks", am.PackagingMarks)
	case it.Explosive != nil:
		ex := it.Explosive
		d.code("ui.f.explosive_type", record.ExplosiveTypes, ex.Type)
		d.add("ui.f.weight_grams", formatGrams(ex.WeightGrams))
		if ex.Count != 0 {
			d.add("ui.f.count", a.tr.Number(int64(ex.Count)))
		}
		if ex.EODSafe {
			d.add("ui.f.eod_title", a.T("ui.f.eod_safe"))
		}
		d.add("ui.f.markings", ex.Markings)
	}
	d.add("ui.f.packaging", it.Packaging)
	d.add("ui.f.seal_number", it.SealNumber)
	title := a.T("ui.form.item_title", "n", strconv.Itoa(i+1), "kind", a.T(record.ItemKinds.LabelKey(it.Kind)))
	box := container.NewVBox(bold(title), d.columns())
	if current && in.Status == record.StatusFinal && tracing.Applies(it) {
		box.Add(v.tracing(in, it))
	}
	return widget.NewCard("", "", box)
}

// tracing is the line of a final record's firearm or major part that
// tells how far its tracing went, with the buttons that take it further:
// the tracing request, and (at an office) the item on the tracing screen.
func (v *recordView) tracing(in *record.Interdiction, it *record.Item) fyne.CanvasObject {
	a := v.a
	t, err := a.svc.TraceItemOf(a.ctx, in.Ref(), it.ID.String())
	if err != nil {
		return widget.NewLabel(a.tr.Error(err))
	}
	status := tracing.NotAttempted
	if st, err := a.svc.Trace(a.ctx, t); err == nil && st != nil {
		status = st.Trace.Status
	}
	line := widget.NewLabel(a.T("ui.tracing.status") + ": " + a.T(tracing.Statuses.LabelKey(status)))
	row := container.NewHBox(line, widget.NewButtonWithIcon(a.T("ui.tracing.request"), theme.DocumentPrintIcon(), func() { a.printTraceRequest(t) }))
	if a.isOffice() {
		row.Add(widget.NewButtonWithIcon(a.T("ui.tracing.open"), theme.NavigateNextIcon(), func() { a.show(newTracingScreenOn(a, t.Ref, t.ItemID)) }))
	}
	return row
}

// calibreText shows the controlled calibre and, when it differs, the
// stamped text.
func calibreText(tr *i18n.Translator, c record.Calibre) string {
	l := tr.Calibre(c.Code, c.Label())
	if c.Stamped != "" && c.Stamped != l && c.Stamped != c.Label() && c.Stamped != tr.Calibre("", c.Label()) {
		return fmt.Sprintf("%s (%s)", l, c.Stamped)
	}
	return l
}

func (v *recordView) serials(ss []record.Serial) string {
	var out []string
	for _, s := range ss {
		t := s.Number
		var notes []string
		if s.Part != "" {
			notes = append(notes, v.a.T(record.PartTypes.LabelKey(s.Part)))
		}
		if s.State != "" && s.State != "intact" {
			notes = append(notes, v.a.T(record.SerialStates.LabelKey(s.State)))
		}
		if len(notes) > 0 {
			t = strings.TrimSpace(t + " (" + strings.Join(notes, ", ") + ")")
		}
		out = append(out, t)
	}
	return strings.Join(out, "\n")
}

// maxChanges is how many changed fields a version's line lists.
const maxChanges = 12

// changes says, field by field, what a version changed from the one
// before: "Registration plate: 777 ABC 02 → 01 KG 555".
func (a *App) changes(before, after *record.Interdiction) string {
	diff, err := record.Diff(before, after)
	if err != nil || len(diff) == 0 {
		return ""
	}
	var lines []string
	for i, c := range diff {
		if i == maxChanges {
			lines = append(lines, a.T("ui.record.more_changes", "count", len(diff)-maxChanges))
			break
		}
		label := a.fieldLabel(c.Path)
		if label == "" {
			label = c.Path
		}
		old, new := short(c.Old), short(c.New)
		if c.Path == "status" {
			old, new = a.T(record.Statuses.LabelKey(c.Old)), a.T(record.Statuses.LabelKey(c.New))
		}
		if old == "" {
			old = "—"
		}
		if new == "" {
			new = "—"
		}
		lines = append(lines, "    "+label+": "+old+" → "+new)
	}
	return strings.Join(lines, "\n")
}

// short puts a value on one line of at most 60 characters.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

// country names a country by its code in the officer's language, "" for
// none.
func (a *App) country(code string) string {
	if code == "" {
		return ""
	}
	return countryLabel(a.tr, code)
}

// countries names several countries.
func (a *App) countries(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = a.country(c)
	}
	return strings.Join(names, ", ")
}

// actorName shows who made a change; the program's "unknown", for a
// computer that named no one, in the officer's language.
func (a *App) actorName(actor string) string {
	if actor == "" || actor == "unknown" {
		return a.T("ui.record.unknown_actor")
	}
	return actor
}

// history lists the record's versions and its audit trail: who, when, what.
func (v *recordView) history() fyne.CanvasObject {
	a := v.a
	box := container.NewVBox()
	versions, err := a.svc.History(a.ctx, v.id)
	if err != nil {
		return widget.NewLabel(a.tr.Error(err))
	}
	for i, ver := range versions {
		status := a.T(record.Statuses.LabelKey(ver.Record.Status))
		var line string
		if ver.MadeBy != "" {
			// Imported: who saved it at the post, and when, come first.
			line = a.T("ui.record.version_line_post", "version", strconv.Itoa(ver.Record.Version),
				"status", status, "made", a.tr.DateTime(ver.MadeAt.In(ver.Record.OccurredAt.Location())), "maker", a.actorName(ver.MadeBy),
				"when", a.tr.DateTime(ver.SavedAt.Local()), "actor", a.actorName(ver.Actor))
		} else {
			line = a.T("ui.record.version_line", "version", strconv.Itoa(ver.Record.Version),
				"status", status, "when", a.tr.DateTime(ver.SavedAt.Local()), "actor", a.actorName(ver.Actor))
		}
		label := widget.NewLabel(line)
		label.Wrapping = fyne.TextWrapWord
		n := ver.Record.Version
		shown := n == v.version || (v.version == 0 && i == len(versions)-1)
		if shown || len(versions) == 1 {
			label.TextStyle.Bold = shown && len(versions) > 1
			box.Add(label)
		} else {
			open := widget.NewButtonWithIcon(a.T("ui.record.open_version"), theme.VisibilityIcon(), func() {
				if i == len(versions)-1 {
					n = 0 // the current version, with all it allows
				}
				a.show(&recordView{a: a, id: v.id, version: n})
			})
			box.Add(container.NewBorder(nil, nil, nil, open, label))
		}
		if i > 0 {
			if changes := a.changes(versions[i-1].Record, ver.Record); changes != "" {
				l := widget.NewLabel(changes)
				l.Wrapping = fyne.TextWrapWord
				l.Importance = widget.LowImportance
				box.Add(l)
			}
		}
	}
	audit, err := a.svc.Audit(a.ctx, v.id)
	if err != nil {
		return widget.NewLabel(a.tr.Error(err))
	}
	box.Add(bold(a.T("ui.record.audit")))
	for _, e := range audit {
		box.Add(widget.NewLabel(a.T("ui.record.audit_line", "when", a.tr.DateTime(e.Time().Local()), "actor", a.actorName(e.Actor),
			"action", a.T("audit.action."+e.Action), "version", strconv.Itoa(e.Version))))
	}
	return box
}

// remarks is the office's own part of a post's record: its remarks, kept
// for good, and a field to add one.
func (v *recordView) remarks() fyne.CanvasObject {
	a := v.a
	box := container.NewVBox()
	rs, err := a.svc.Remarks(a.ctx, v.id)
	if err != nil {
		box.Add(message(a.tr.Error(err), widget.DangerImportance))
	}
	for _, r := range rs {
		l := widget.NewLabel(a.T("ui.record.remark_line", "when", a.tr.DateTime(r.At.Local()), "actor", a.actorName(r.Actor), "text", r.Text))
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	text := newCappedEntry(record.MaxText, true)
	text.SetMinRowsVisible(2)
	text.SetPlaceHolder(a.T("ui.record.remark_hint"))
	row := newFieldRow(a.T("ui.record.new_remark"), text)
	text.onCut = func() { row.setError(a.T("ui.form.cut", "max", a.tr.Number(record.MaxText))) }
	add := widget.NewButtonWithIcon(a.T("ui.record.add_remark"), theme.ContentAddIcon(), func() {
		if err := a.svc.AddRemark(a.ctx, v.id, text.Text); err != nil {
			var fes record.Errors
			if errors.As(err, &fes) {
				// Named by the field's label, as the form names its fields.
				row.setError(a.T(fes[0].Key, append([]any{"field", row.label}, fes[0].Args...)...))
				return
			}
			row.setError(a.tr.Error(err))
			return
		}
		a.rebuild()
	})
	box.Add(grid(1, row))
	box.Add(container.NewHBox(add))
	return widget.NewCard(a.T("ui.record.remarks"), a.T("ui.record.remarks_sub"), box)
}
