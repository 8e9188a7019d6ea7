package checks

import "github.com/IBM/sarama"

// Bounds on the records poll keeps for the registry check: enough to see
// every schema a topic's recent records use, never more than a few MiB.
const (
	sampleRecords = 20
	sampleBytes   = 4 << 20
)

// recordSample keeps copies of the first records the poll check reads,
// only when a later check needs them (a schema registry is configured).
type recordSample struct {
	records []SampledRecord
	bytes   int
}

// newRecordSample is a sample when the run needs one, else nil.
func newRecordSample(s *State) *recordSample {
	if s.registryConfig() == nil {
		return nil
	}
	return &recordSample{}
}

// add copies one record in, within the bounds.
func (k *recordSample) add(topic string, part int32, offset int64, r *sarama.Record) {
	if k == nil || len(k.records) >= sampleRecords || k.bytes+len(r.Key)+len(r.Value) > sampleBytes {
		return
	}
	k.bytes += len(r.Key) + len(r.Value)
	k.records = append(k.records, SampledRecord{Topic: topic, Partition: part, Offset: offset,
		Key: append([]byte(nil), r.Key...), Value: append([]byte(nil), r.Value...)})
}

// merge adds another leader's records, within the bounds.
func (k *recordSample) merge(o *recordSample) {
	if k == nil || o == nil {
		return
	}
	for _, r := range o.records {
		if len(k.records) >= sampleRecords || k.bytes+len(r.Key)+len(r.Value) > sampleBytes {
			return
		}
		k.bytes += len(r.Key) + len(r.Value)
		k.records = append(k.records, r)
	}
}

// publish makes the sample a fact for the checks after poll.
func (k *recordSample) publish(s *State) {
	if k != nil {
		s.Facts.Records = &RecordFacts{Sample: k.records}
	}
}
