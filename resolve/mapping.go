package resolve

import (
	"errors"
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// FromMapping resolves the target of an event source mapping read from
// Lambda, with the rules Resolve applies to flags. aw is the run's AWS side
// (Region, profile, role); the result carries the mapping's event source
// and access configurations. An error describes what is wrong with the
// mapping itself (the mapping check reports it; it is not an input error).
func FromMapping(m awsprobe.Mapping, aw AWS) (Target, error) {
	if len(m.Topics) == 0 {
		return Target{}, errors.New("the mapping names no topic")
	}
	if err := CheckTopicName("Topics", m.Topics[0]); err != nil {
		return Target{}, fmt.Errorf("the mapping's topic %s", inputMsg(err))
	}
	acc := access{list: m.AccessConfigs}
	if err := acc.classify(); err != nil {
		return Target{}, fmt.Errorf("the mapping's SourceAccessConfigurations: %s", inputMsg(err))
	}
	t := Target{Topic: m.Topics[0], ConsumerGroup: m.ConsumerGroupID, Kafka: m.Kafka}
	if t.ConsumerGroup == "" {
		t.ConsumerGroup = m.UUID
	}
	aw.EventSourceARN, aw.AccessConfigs = "", m.AccessConfigs
	if len(m.Bootstrap) > 0 {
		bs, err := ParseBootstrap("KAFKA_BOOTSTRAP_SERVERS", m.Bootstrap)
		if err != nil {
			return Target{}, fmt.Errorf("the mapping's SelfManagedEventSource: %s", inputMsg(err))
		}
		t.Bootstrap = bs
	} else {
		aw.EventSourceARN = m.EventSourceARN
	}
	t.AWS = &aw
	if err := settleSecrets(Inputs{}, acc, &awsIn{AWS: aw}, &t); err != nil {
		return Target{}, fmt.Errorf("the mapping's SourceAccessConfigurations: %s", inputMsg(err))
	}
	return t, nil
}

// inputMsg is an input error's message without the flag name, which means
// nothing for a mapping read from Lambda.
func inputMsg(err error) string {
	var ie *InputError
	if errors.As(err, &ie) {
		if ie.Value != "" {
			return fmt.Sprintf("%q: %s", ie.Value, ie.Msg)
		}
		return ie.Msg
	}
	return err.Error()
}
