package tracing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/record"
)

// Change is what an analyst records at once: a status and the details that
// come with it. An empty field leaves what the trace holds.
type Change struct {
	Status string
	Reason string
	// The request the change is about: number Request (from 1), else the
	// one of this Reference, else the open one to To (one without a
	// reference, when a Reference is given for it), else the only open
	// one. With status RequestSent, a request to a state with no open
	// request is a new request.
	Request                                     int
	Reference, To, Channel, Sent, Due, Answered string
	// The answer.
	ManufacturerConfirmed                          bool
	LastLegalCountry, Holder                       string
	DiversionCountry, DiversionDate, DiversionType string
	AnswerText, Note                               string
	// Correct marks a step that corrects what was recorded by mistake:
	// the status may then become any other, RemoveRequest (from 1) takes
	// a request off, and Clear empties the fields it names (ClearAnswer,
	// ClearAnswered, ClearNote, ClearDue). The earlier steps are kept, as every step is.
	Correct       bool
	RemoveRequest int
	Clear         []string
}

// What a correction may clear.
const (
	ClearAnswer   = "answer"
	ClearAnswered = "answered"
	ClearNote     = "note"
	ClearDue      = "due"
)

// Apply is trace prev of item it (nil if none) with change c made on day
// today, and the problems of the result (Check). prev is not changed.
func Apply(it *record.Item, prev *Trace, c Change, today time.Time) (*Trace, record.Errors) {
	t := prev.Clone()
	day := today.Format(time.DateOnly)
	c.normalise()
	if errs := t.correct(c); errs != nil {
		return t, errs
	}
	if c.Status != "" {
		t.Status = c.Status
	}
	t.Status = t.status()
	if t.Status == NotTraceable {
		if c.Reason != "" {
			t.Reason = c.Reason
		}
	} else {
		t.Reason = ""
	}
	answering := t.Status == AnswerInsufficient || t.Status == EstablishedTracing
	i, errs := t.find(c, answering)
	if errs != nil {
		return t, errs
	}
	asked := c.Request != 0 || c.Reference != "" || c.To != "" || c.Channel != "" || c.Sent != "" || c.Due != "" || c.Answered != ""
	switch {
	case i < 0 && t.Status == RequestSent && (asked || !t.hasOpen() && !c.Correct):
		t.Requests = append(t.Requests, Request{Channel: "bilateral", Sent: day})
		i = len(t.Requests) - 1
	case i < 0 && asked && !answering:
		// A request is sent with the status that says so.
		return t, record.Errors{{Path: "status", Key: ErrRequestStatus, Args: []any{"value", t.Status}}}
	}
	if i >= 0 {
		r := &t.Requests[i]
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&r.Reference, c.Reference)
		set(&r.To, c.To)
		set(&r.Channel, c.Channel)
		set(&r.Sent, c.Sent)
		set(&r.Due, c.Due)
		set(&r.Answered, c.Answered)
		if answering && r.Answered == "" {
			r.Answered = day
		}
	}
	if c.ManufacturerConfirmed || c.LastLegalCountry != "" || c.Holder != "" || c.DiversionCountry != "" ||
		c.DiversionDate != "" || c.DiversionType != "" || c.AnswerText != "" {
		if t.Answer == nil {
			t.Answer = &Answer{}
		}
		a := t.Answer
		a.ManufacturerConfirmed = a.ManufacturerConfirmed || c.ManufacturerConfirmed
		for _, f := range []struct {
			dst *string
			v   string
		}{{&a.LastLegalCountry, c.LastLegalCountry}, {&a.Holder, c.Holder}, {&a.DiversionCountry, c.DiversionCountry},
			{&a.DiversionDate, c.DiversionDate}, {&a.DiversionType, c.DiversionType}, {&a.Text, c.AnswerText}} {
			if f.v != "" {
				*f.dst = f.v
			}
		}
	}
	if c.Note != "" {
		t.Note = c.Note
	}
	return t, check(it, prev, t, today, c.Correct)
}

// correct applies what a correction takes off or clears; anything of the
// kind without Correct is refused.
func (t *Trace) correct(c Change) record.Errors {
	if !c.Correct {
		if c.RemoveRequest != 0 || len(c.Clear) > 0 {
			return record.Errors{{Path: "correct", Key: ErrNotCorrection}}
		}
		return nil
	}
	if n := c.RemoveRequest; n != 0 {
		if n < 0 || n > len(t.Requests) {
			return record.Errors{{Path: "requests", Key: ErrNoSuchRequest, Args: []any{"value", fmt.Sprint(n)}}}
		}
		t.Requests = slices.Delete(t.Requests, n-1, n)
	}
	for _, f := range c.Clear {
		switch strings.TrimSpace(f) {
		case ClearAnswer:
			t.Answer = nil
		case ClearNote:
			t.Note = ""
		case ClearDue:
			for i := range t.Requests {
				t.Requests[i].Due = ""
			}
		case ClearAnswered:
			for i := range t.Requests {
				t.Requests[i].Answered = ""
			}
		default:
			return record.Errors{{Path: "clear", Key: record.ErrUnknownCode, Args: []any{"value", short(f)}}}
		}
	}
	return nil
}

// find is the index of the request change c is about, -1 if none.
func (t *Trace) find(c Change, answering bool) (int, record.Errors) {
	if c.Request != 0 {
		if c.Request < 0 || c.Request > len(t.Requests) {
			return -1, record.Errors{{Path: "requests", Key: ErrNoSuchRequest, Args: []any{"value", fmt.Sprint(c.Request)}}}
		}
		return c.Request - 1, nil
	}
	if c.Reference != "" {
		for i, r := range t.Requests {
			if strings.EqualFold(r.Reference, c.Reference) {
				return i, nil
			}
		}
		// The reference of a request recorded without one: the open
		// request to the state named (or the only open one) that has none.
		var bare []int
		for i, r := range t.Requests {
			if r.Open() && r.Reference == "" && (c.To == "" || r.To == c.To) {
				bare = append(bare, i)
			}
		}
		switch {
		case len(bare) == 1 && (c.To != "" || !answering):
			return bare[0], nil
		case answering:
			return -1, record.Errors{{Path: "requests", Key: ErrNoSuchRequest, Args: []any{"value", short(c.Reference)}}}
		}
		return -1, nil
	}
	var open []int
	for i, r := range t.Requests {
		if r.Open() && (c.To == "" || r.To == c.To) {
			open = append(open, i)
		}
	}
	switch {
	case len(open) == 1:
		return open[0], nil
	case len(open) > 1 && (answering || c.To != ""):
		return -1, record.Errors{{Path: "requests", Key: ErrWhichRequest}}
	}
	return -1, nil
}

func (t *Trace) hasOpen() bool {
	return slices.ContainsFunc(t.Requests, func(r Request) bool { return r.Open() })
}

// Clone is a deep copy of t; a trace of status NotAttempted for nil.
func (t *Trace) Clone() *Trace {
	if t == nil {
		return &Trace{Status: NotAttempted}
	}
	c := *t
	c.Requests = slices.Clone(t.Requests)
	if t.Answer != nil {
		a := *t.Answer
		c.Answer = &a
	}
	return &c
}

// normalise trims every field and upper-cases country codes.
func (c *Change) normalise() {
	for _, p := range []*string{&c.Status, &c.Reason, &c.Reference, &c.Channel, &c.Sent, &c.Due, &c.Answered,
		&c.Holder, &c.DiversionDate, &c.DiversionType, &c.AnswerText, &c.Note} {
		*p = strings.TrimSpace(*p)
	}
	for _, p := range []*string{&c.To, &c.LastLegalCountry, &c.DiversionCountry} {
		*p = strings.ToUpper(strings.TrimSpace(*p))
	}
}
