package checks

import (
	"fmt"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/filters"
)

// filterSample counts how a mapping's FilterCriteria treats the records
// the poll check reads (read-only: nothing is committed).
type filterSample struct {
	crit             filters.Criteria
	sampled, matched int64
	notJSON          int64
}

// newFilterSample compiles the criteria; nil when there are none. A
// pattern that does not compile is returned as an error (Lambda refuses
// it when the mapping is created or updated).
func newFilterSample(patterns []string) (*filterSample, error) {
	if len(patterns) == 0 {
		return nil, nil
	}
	crit, err := filters.CompileCriteria(patterns)
	if err != nil {
		return nil, err
	}
	return &filterSample{crit: crit}, nil
}

// add evaluates the criteria on one fetched record, in the shape Lambda
// filters.
func (f *filterSample) add(topic string, part int32, batch *sarama.RecordBatch, r *sarama.Record) {
	if f == nil {
		return
	}
	rec := filters.Record{Topic: topic, Partition: part, Offset: batch.FirstOffset + r.OffsetDelta,
		Timestamp: batch.FirstTimestamp.Add(r.TimestampDelta).UnixMilli(), TimestampType: "CREATE_TIME",
		Key: r.Key, Value: r.Value}
	if batch.LogAppendTime {
		rec.TimestampType, rec.Timestamp = "LOG_APPEND_TIME", batch.MaxTimestamp.UnixMilli()
	}
	for _, h := range r.Headers {
		if h != nil {
			rec.Headers = append(rec.Headers, filters.Header{Key: string(h.Key), Value: h.Value})
		}
	}
	f.sampled++
	if filters.Kind(r.Value) != filters.ValueJSON {
		f.notJSON++
	}
	if f.crit.Match(rec) {
		f.matched++
	}
}

// merge adds another leader's counts.
func (f *filterSample) merge(o *filterSample) {
	if f == nil || o == nil {
		return
	}
	f.sampled, f.matched, f.notJSON = f.sampled+o.sampled, f.matched+o.matched, f.notJSON+o.notJSON
}

// line reports the sample in words.
func (f *filterSample) line() string {
	s := fmt.Sprintf("filter criteria: %d of %d sampled record(s) match; non-matching records are dropped and their offsets committed, so they never reach the function", f.matched, f.sampled)
	if f.notJSON > 0 {
		s += fmt.Sprintf(" (%d sampled value(s) are not JSON: Lambda matches them as one plain string, so patterns on value fields never match them)", f.notJSON)
	}
	return s
}

// fork returns an empty sample with the same criteria, for one leader's
// fetch (leaders are read concurrently); nil stays nil.
func (f *filterSample) fork() *filterSample {
	if f == nil {
		return nil
	}
	return &filterSample{crit: f.crit}
}
