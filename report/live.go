package report

import (
	"fmt"
	"time"
)

// Started is called when a check begins; with Live it shows a spinner
// and the elapsed time until the check finishes.
func (t *Text) Started(id, _ string) {
	if !t.opt.Live {
		return
	}
	t.stop, t.done = make(chan struct{}), make(chan struct{})
	go t.spin(id, t.stop, t.done)
}

// liveTick is how often the live line is redrawn.
const liveTick = 100 * time.Millisecond

func (t *Text) spin(id string, stop, done chan struct{}) {
	defer close(done)
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	start := time.Now()
	tick := time.NewTicker(liveTick)
	defer tick.Stop()
	for i := 0; ; i++ {
		t.mu.Lock()
		fmt.Fprintf(t.w, "\r\033[K%s %s %s", frames[i%len(frames)], id, t.faint.Sprint(millis(time.Since(start))))
		t.mu.Unlock()
		select {
		case <-stop:
			t.mu.Lock()
			fmt.Fprint(t.w, "\r\033[K")
			t.mu.Unlock()
			return
		case <-tick.C:
		}
	}
}

func (t *Text) stopLive() {
	if t.stop != nil {
		close(t.stop)
		<-t.done
		t.stop, t.done = nil, nil
	}
}
