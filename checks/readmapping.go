package checks

import (
	"context"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// ReadMapping runs the mapping check alone and returns its result and what
// it read (nil when the mapping could not be read). check --in-vpc reads
// the mapping here, as esmdoctor's own identity, before it creates the
// probe function in the mapping's network: the function's execution role
// typically may not read mappings, and the network is needed first.
func ReadMapping(parent context.Context, cfg Config) (model.Result, *MappingFacts) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeoutCause(parent, cfg.Timeout, ErrDeadline)
	defer cancel()
	st := &State{Cfg: cfg, Step: StepBudget(cfg.Timeout)}
	defer st.Close()
	start := time.Now()
	o := mappingCheck.Run(ctx, st)
	r := model.Result{ID: mappingCheck.ID, Title: mappingCheck.Title, Status: o.Status, Code: o.Code, Args: o.Args,
		Reason: o.Reason, Detail: o.Detail, Duration: time.Since(start)}
	return r, st.Facts.Mapping
}

// MappingNotes are the facts about a mapping a report states (its state,
// LastProcessingResult and what it means, its group and role).
func MappingNotes(f *MappingFacts) []string { return mappingNotes(f, Config{}) }
