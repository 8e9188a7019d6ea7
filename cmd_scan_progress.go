package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// scanProgress shows "scan: 12/50 checked, 8 running, 4s" on one line of
// a terminal; elsewhere nothing (the summary says it all).
type scanProgress struct {
	mu                      sync.Mutex
	w                       io.Writer
	on                      bool
	total, checked, running int
	start                   time.Time
}

func newScanProgress(w io.Writer, total int) *scanProgress {
	return &scanProgress{w: w, on: isTerminal(w), total: total, start: time.Now()}
}

func (p *scanProgress) started() { p.step(1, 0) }

func (p *scanProgress) finished() { p.step(-1, 1) }

func (p *scanProgress) step(running, done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running += running
	p.checked += done
	if p.on {
		fmt.Fprintf(p.w, "\r\033[Kscan: %d/%d checked, %d running, %s", p.checked, p.total, p.running, time.Since(p.start).Round(time.Second))
	}
}

// done clears the line.
func (p *scanProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
