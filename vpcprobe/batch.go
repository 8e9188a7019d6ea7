package vpcprobe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// Batch is several check configurations for one probe function: esmdoctor
// scan --in-vpc sends every mapping that shares subnets, security groups
// and role to one function, which checks them Parallel at a time.
type Batch struct {
	Version  int       `json:"version"`
	Runs     []Payload `json:"runs"`
	Parallel int       `json:"parallel"`
}

// batchAnswer is the function's answer to a Batch: one report document
// (check's JSON schema) or one error per run, in the runs' order.
type batchAnswer struct {
	SchemaVersion int               `json:"schema_version"`
	Reports       []json.RawMessage `json:"reports"`
	Errors        []string          `json:"errors"`
}

// BatchTimeout is the function Timeout a batch needs: the rounds of runs
// at the given parallelism, each bounded by its own timeout, plus a margin
// for the cold start (at most Lambda's 15 minutes).
func BatchTimeout(b Batch) time.Duration {
	var longest time.Duration
	for _, r := range b.Runs {
		longest = max(longest, time.Duration(r.TimeoutMS)*time.Millisecond)
	}
	par := max(b.Parallel, 1)
	rounds := (len(b.Runs) + par - 1) / par
	return min(time.Duration(rounds)*longest+30*time.Second, 15*time.Minute).Round(time.Second)
}

// handleBatch runs a batch inside the function.
func handleBatch(ctx context.Context, b Batch, version string) (json.RawMessage, error) {
	if b.Version != PayloadVersion {
		return nil, fmt.Errorf("batch version %d: this probe binary speaks version %d", b.Version, PayloadVersion)
	}
	out := batchAnswer{SchemaVersion: model.SchemaVersion, Reports: make([]json.RawMessage, len(b.Runs)), Errors: make([]string, len(b.Runs))}
	sem := make(chan struct{}, max(b.Parallel, 1))
	var wg sync.WaitGroup
	for i, p := range b.Runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg, err := p.Config()
			if err == nil {
				out.Reports[i], err = runPayload(ctx, cfg, version)
			}
			if err != nil {
				out.Reports[i], out.Errors[i] = json.RawMessage("null"), err.Error()
			}
		}()
	}
	wg.Wait()
	return json.Marshal(out)
}

// DecodeBatch reads a batch answer: one report per run, or the run's
// error.
func DecodeBatch(data []byte, runs int) ([]*model.Report, []string, error) {
	if len(data) > maxReport {
		return nil, nil, fmt.Errorf("answer of %d bytes: more than Lambda returns (%d)", len(data), maxReport)
	}
	var a batchAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, nil, fmt.Errorf("the probe function's answer is not a batch of reports: %w", err)
	}
	if len(a.Reports) != runs || len(a.Errors) != runs {
		return nil, nil, fmt.Errorf("the probe function answered %d reports for %d runs", len(a.Reports), runs)
	}
	reps := make([]*model.Report, runs)
	for i, raw := range a.Reports {
		if a.Errors[i] != "" || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		r, err := DecodeReport(raw)
		if err != nil {
			a.Errors[i] = err.Error()
			continue
		}
		reps[i] = r
	}
	return reps, a.Errors, nil
}
