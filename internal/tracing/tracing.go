// Package tracing keeps what an office learns when it traces a seized
// firearm or major part to its point of diversion, as the UN International
// Tracing Instrument has it: whether the item can be traced at all, each
// tracing request sent to the state of manufacture or last import, and the
// answer (the last legal record and the diversion it reveals).
//
// A [Trace] is the office's annotation of one item, kept apart from the
// post's signed record: it changes without a new record version and no
// post's bundle ever carries it. [Check] says whether a trace may follow
// another; [Update] applies what an analyst records in a few words (a
// status, a request's reference, a country) to a trace. [Document] is the
// tracing request itself, the same data for the printed request and its
// JSON twin. The package imports only the record model.
package tracing

import (
	"fmt"
	"slices"
	"time"

	"github.com/kordon/kordon/internal/record"
)

// Statuses of a trace.
const (
	// NotAttempted: nothing recorded yet (an item without a trace).
	NotAttempted = "not_attempted"
	// NotTraceable: the item cannot be traced (Reason says why).
	NotTraceable = "not_traceable"
	// RequestSent: a request awaits an answer.
	RequestSent = "request_sent"
	// AnswerInsufficient: the answer did not establish the origin.
	AnswerInsufficient = "answer_insufficient"
	// EstablishedTracing: the illicit origin was established by tracing.
	EstablishedTracing = "established_tracing"
	// EstablishedAuthority: a competent authority established the illicit
	// origin or context without tracing (SDG indicator 16.4.2 counts both).
	EstablishedAuthority = "established_authority"
)

// The controlled vocabularies of a trace; the catalogs label them as
// record's are labelled ("enum.<name>.<code>").
var (
	Statuses = record.Vocabulary{Name: "trace_status", Codes: []string{
		NotAttempted, NotTraceable, RequestSent, AnswerInsufficient, EstablishedTracing, EstablishedAuthority,
	}}
	// Reasons say why an item is not traceable.
	Reasons = record.Vocabulary{Name: "trace_reason", Codes: []string{
		"obliterated", "no_marking", "craft_made", "other_reason",
	}}
	// Channels are how a request is sent.
	Channels = record.Vocabulary{Name: "trace_channel", Codes: []string{"bilateral", "iarms", "other_channel"}}
	// Holders are who held the item at its last legal record.
	Holders = record.Vocabulary{Name: "trace_holder", Codes: []string{
		"state_stockpile", "dealer", "civilian", "exporter", "other_holder",
	}}
	// Diversions are how the item left the legal chain.
	Diversions = record.Vocabulary{Name: "trace_diversion", Codes: []string{
		"theft", "loss", "unauthorised_transfer", "illicit_manufacture", "other_diversion",
	}}
	// Priorities of a request; an urgent one says why.
	Priorities = record.Vocabulary{Name: "trace_priority", Codes: []string{"routine", "urgent"}}
)

// Vocabularies are the vocabularies of a trace and of a request, for the
// catalog checks.
var Vocabularies = []record.Vocabulary{Statuses, Reasons, Channels, Holders, Diversions, Priorities}

// Caps of a trace.
const (
	// MaxRequests caps the requests of one trace.
	MaxRequests = 20
	// MaxReference caps a request's reference number.
	MaxReference = 100
)

// MajorParts are the part types traced like a firearm: the essential
// components of the UN Firearms Protocol.
var MajorParts = []string{"barrel", "frame", "receiver", "slide", "cylinder", "bolt", "breech_block"}

// Applies reports whether it is traced: a firearm or light weapon, or a
// major part of one.
func Applies(it *record.Item) bool {
	switch it.Kind {
	case record.KindFirearm:
		return true
	case record.KindPart:
		return it.Part != nil && slices.Contains(MajorParts, it.Part.Type)
	}
	return false
}

// Trace is what an office recorded of tracing one item.
type Trace struct {
	Status string `json:"status"`
	// Reason is a Reasons code, for NotTraceable only.
	Reason   string    `json:"reason,omitempty"`
	Requests []Request `json:"requests,omitempty"`
	// Answer is what the answers, or a competent authority, established.
	Answer *Answer `json:"answer,omitempty"`
	Note   string  `json:"note,omitempty"`
}

// Request is one tracing request sent to a state.
type Request struct {
	// To is the requested state (ISO 3166-1 alpha-2).
	To string `json:"to"`
	// Channel is a Channels code.
	Channel   string `json:"channel"`
	Reference string `json:"reference,omitempty"`
	// Sent, Due and Answered are dates, YYYY-MM-DD.
	Sent     string `json:"sent"`
	Due      string `json:"due,omitempty"`
	Answered string `json:"answered,omitempty"`
}

// Open reports whether the request still awaits its answer.
func (r Request) Open() bool { return r.Answered == "" }

// Overdue reports whether the request is open past its due date on day
// today (YYYY-MM-DD).
func (r Request) Overdue(today string) bool { return r.Open() && r.Due != "" && r.Due < today }

// Answer is what the requested state (or a competent authority) told.
type Answer struct {
	// ManufacturerConfirmed: the manufacturer confirmed making the item.
	ManufacturerConfirmed bool `json:"manufacturer_confirmed,omitempty"`
	// LastLegalCountry is where the item's last legal record is kept, and
	// Holder who held it then (a Holders code).
	LastLegalCountry string `json:"last_legal_country,omitempty"`
	Holder           string `json:"holder,omitempty"`
	// DiversionCountry, DiversionDate (YYYY, YYYY-MM or YYYY-MM-DD) and
	// DiversionType (a Diversions code) say where, when and how it left
	// the legal chain.
	DiversionCountry string `json:"diversion_country,omitempty"`
	DiversionDate    string `json:"diversion_date,omitempty"`
	DiversionType    string `json:"diversion_type,omitempty"`
	Text             string `json:"text,omitempty"`
}

// empty reports whether the answer says nothing.
func (a *Answer) empty() bool { return a == nil || *a == Answer{} }

// origin reports whether the answer names an origin: a confirmed maker, a
// last legal record or a diversion.
func (a *Answer) origin() bool {
	return a != nil && (a.ManufacturerConfirmed || a.LastLegalCountry != "" || a.DiversionCountry != "")
}

// Status is the trace's status; NotAttempted for none.
func (t *Trace) status() string {
	if t == nil || t.Status == "" {
		return NotAttempted
	}
	return t.Status
}

// Overdue reports whether a request of t is overdue on day today.
func (t *Trace) Overdue(today string) bool {
	due := t.NextDue()
	return due != "" && due < today
}

// NextDue is the earliest due date of t's open requests, "" if none or
// when the trace has ended (the item is not traceable, or its origin is
// established): nothing is awaited then.
func (t *Trace) NextDue() string {
	switch t.status() {
	case NotTraceable, EstablishedTracing, EstablishedAuthority:
		return ""
	}
	due := ""
	for _, r := range t.Requests {
		if r.Open() && r.Due != "" && (due == "" || r.Due < due) {
			due = r.Due
		}
	}
	return due
}

// next lists the statuses a trace may move to from each status; a status
// may always stay as it is while its details change. Once anything is
// recorded a trace never goes back to not attempted, and an origin once
// established is not declared untraceable.
var next = map[string][]string{
	NotAttempted:         {NotTraceable, RequestSent, EstablishedAuthority},
	NotTraceable:         {RequestSent, EstablishedAuthority},
	RequestSent:          {AnswerInsufficient, EstablishedTracing, EstablishedAuthority, NotTraceable},
	AnswerInsufficient:   {RequestSent, EstablishedTracing, EstablishedAuthority, NotTraceable},
	EstablishedTracing:   {RequestSent, EstablishedAuthority},
	EstablishedAuthority: {RequestSent, EstablishedTracing},
}

// Allowed reports whether a trace of status from may become one of status
// to.
func Allowed(from, to string) bool {
	return from == to || slices.Contains(next[from], to)
}

// Next lists the statuses a trace of status from may move to, itself
// first.
func Next(from string) []string { return append([]string{from}, next[from]...) }

// Problem keys of a trace beyond record's.
const (
	// ErrKind: {value} is a status for firearms and major parts only.
	ErrKind = "err.trace_kind"
	// ErrTransition: a trace of status {from} cannot become {value}.
	ErrTransition = "err.trace_transition"
	// ErrNeedsRequest: status {value} needs a request (answered, for an
	// answer's status).
	ErrNeedsRequest = "err.trace_needs_request"
	// ErrNeedsOrigin: origin established by tracing needs the answer's
	// last legal record, diversion or confirmed maker.
	ErrNeedsOrigin = "err.trace_needs_origin"
	// ErrDueBeforeSent: a due date before the date the request was sent.
	ErrDueBeforeSent = "err.trace_due_before_sent"
	// ErrWhichRequest: an answer for a trace of several open requests
	// that does not say which.
	ErrWhichRequest = "err.trace_which_request"
	// ErrNotCorrection: a request taken off or a field cleared by a
	// step that does not say it corrects a mistake.
	ErrNotCorrection = "err.trace_not_correction"
	// ErrRequestStatus: the details of a request given with status
	// {value}, which records none.
	ErrRequestStatus = "err.trace_request_status"
	// ErrNotAttempted: a trace not attempted that holds a request or an
	// answer.
	ErrNotAttempted = "err.trace_not_attempted"
	// ErrNoSuchRequest: an answer to a request of a reference {value}
	// the trace does not hold.
	ErrNoSuchRequest = "err.trace_no_request"
)

// Check reports the problems of trace t of item it, which follows prev
// (nil for an item not traced before), on day today: each field as its
// vocabulary, country list and dates allow, the status as the item kind
// and the previous status allow, and what the status needs.
func Check(it *record.Item, prev, t *Trace, today time.Time) record.Errors {
	return check(it, prev, t, today, false)
}

// check is Check; a correction may follow any status, and a trace not
// attempted then holds nothing but a note.
func check(it *record.Item, prev, t *Trace, today time.Time, correction bool) record.Errors {
	c := &checker{today: today.Format(time.DateOnly)}
	status := t.status()
	switch {
	case !Statuses.Has(status):
		c.add("status", record.ErrUnknownCode, "value", status)
		return c.errs
	case !Applies(it) && status != NotAttempted:
		c.add("status", ErrKind, "value", status, "kind", it.Kind)
		return c.errs
	case !correction && !Allowed(prev.status(), status):
		c.add("status", ErrTransition, "value", status, "from", prev.status())
	}
	switch {
	case status == NotTraceable && t.Reason == "":
		c.add("reason", record.ErrRequired)
	case status != NotTraceable && t.Reason != "":
		c.add("reason", ErrTransition, "value", status, "from", NotTraceable)
	}
	c.code("reason", Reasons, t.Reason)
	if status == NotAttempted && (prev.status() == NotAttempted || correction) && (len(t.Requests) > 0 || !t.Answer.empty()) {
		c.add("status", ErrNotAttempted)
	}
	if len(t.Requests) > MaxRequests {
		c.add("requests", record.ErrRange, "min", 0, "max", MaxRequests)
	}
	answered := false
	for i, r := range t.Requests {
		c.request(fmt.Sprintf("requests[%d]", i), r)
		answered = answered || !r.Open()
	}
	switch status {
	case RequestSent, AnswerInsufficient, EstablishedTracing:
		if len(t.Requests) == 0 {
			c.add("requests", ErrNeedsRequest, "value", status)
		} else if status != RequestSent && !answered {
			c.add("requests", ErrNeedsRequest, "value", status)
		}
	}
	if status == EstablishedTracing && !t.Answer.origin() {
		c.add("answer", ErrNeedsOrigin)
	}
	if a := t.Answer; a != nil {
		c.country("answer.last_legal_country", a.LastLegalCountry)
		c.code("answer.holder", Holders, a.Holder)
		c.country("answer.diversion_country", a.DiversionCountry)
		c.code("answer.diversion_type", Diversions, a.DiversionType)
		c.partialDate("answer.diversion_date", a.DiversionDate)
		c.text("answer.text", a.Text)
	}
	c.text("note", t.Note)
	return c.errs
}

type checker struct {
	today string
	errs  record.Errors
}

func (c *checker) add(path, key string, args ...any) {
	c.errs = append(c.errs, &record.FieldError{Path: path, Key: key, Args: args})
}

func (c *checker) code(path string, v record.Vocabulary, value string) {
	if value != "" && !v.Has(value) {
		c.add(path, record.ErrUnknownCode, "value", short(value))
	}
}

func (c *checker) country(path, value string) {
	if value != "" && !record.IsCountry(value) {
		c.add(path, record.ErrCountry, "value", short(value))
	}
}

// date checks a date YYYY-MM-DD not after today; it reports whether the
// date is good.
func (c *checker) date(path, value string) bool {
	d, err := time.Parse(time.DateOnly, value)
	switch {
	case err != nil || d.Format(time.DateOnly) != value:
		c.add(path, record.ErrFormat, "value", short(value), "format", "YYYY-MM-DD")
		return false
	case value > c.today:
		c.add(path, record.ErrFuture)
		return false
	}
	return true
}

func (c *checker) partialDate(path, value string) {
	if value == "" {
		return
	}
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if d, err := time.Parse(layout, value); err == nil && d.Format(layout) == value {
			if value > c.today {
				c.add(path, record.ErrFuture)
			}
			return
		}
	}
	c.add(path, record.ErrFormat, "value", short(value), "format", "YYYY, YYYY-MM, YYYY-MM-DD")
}

func (c *checker) text(path, value string) {
	if err := record.CheckText(path, value); err != nil {
		c.errs = append(c.errs, err.(record.Errors)...)
	}
}

func (c *checker) request(path string, r Request) {
	if r.To == "" {
		c.add(path+".to", record.ErrRequired)
	}
	c.country(path+".to", r.To)
	if r.Channel == "" {
		c.add(path+".channel", record.ErrRequired)
	}
	c.code(path+".channel", Channels, r.Channel)
	if len([]rune(r.Reference)) > MaxReference {
		c.add(path+".reference", "err.too_long", "length", len([]rune(r.Reference)), "max", MaxReference)
	} else if err := record.CheckName(path+".reference", r.Reference); err != nil {
		c.errs = append(c.errs, err.(record.Errors)...)
	}
	sent := r.Sent != "" && c.date(path+".sent", r.Sent)
	if r.Sent == "" {
		c.add(path+".sent", record.ErrRequired)
	}
	if r.Due != "" {
		d, err := time.Parse(time.DateOnly, r.Due)
		if err != nil || d.Format(time.DateOnly) != r.Due {
			c.add(path+".due", record.ErrFormat, "value", short(r.Due), "format", "YYYY-MM-DD")
		} else if sent && r.Due < r.Sent {
			c.add(path+".due", ErrDueBeforeSent, "value", r.Due, "sent", r.Sent)
		}
	}
	if r.Answered != "" && c.date(path+".answered", r.Answered) && sent && r.Answered < r.Sent {
		c.add(path+".answered", record.ErrBeforeStart)
	}
}

// short cuts a value quoted in a problem.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
