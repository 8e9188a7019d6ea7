package checks

import "github.com/esmdoctor/esmdoctor/awsprobe"

// The mapping's processing settings the checks weigh: a value given in the
// configuration (a flag) wins; otherwise the mapping the mapping check
// read supplies it.

// mappingSettings are the settings of the mapping the mapping check read
// (zero without --esm/--function).
func (s *State) mappingSettings() awsprobe.Settings {
	if m := s.Facts.Mapping; m != nil {
		return m.Mapping.Settings
	}
	if m := s.Cfg.MappingSettings; m != nil {
		return *m
	}
	return awsprobe.Settings{}
}

// startingPosition is LATEST, TRIM_HORIZON, AT_TIMESTAMP or "" (unknown).
func (s *State) startingPosition() string {
	if s.Cfg.StartingPosition != "" {
		return s.Cfg.StartingPosition
	}
	return s.mappingSettings().StartingPosition
}

// filterCriteria are the FilterCriteria patterns the poll check evaluates.
func (s *State) filterCriteria() []string {
	if len(s.Cfg.FilterCriteria) > 0 {
		return s.Cfg.FilterCriteria
	}
	return s.mappingSettings().FilterPatterns
}

// maximumPollers is ProvisionedPollerConfig.MaximumPollers; 0 means
// on-demand mode (or unknown).
func (s *State) maximumPollers() int32 {
	if s.Cfg.MaximumPollers > 0 {
		return s.Cfg.MaximumPollers
	}
	if p := s.mappingSettings().Provisioned; p != nil {
		return max(p.Maximum, 1)
	}
	return 0
}

// onFailure is DestinationConfig.OnFailure.Destination ("" when none).
func (s *State) onFailure() string {
	if s.Cfg.OnFailure != "" {
		return s.Cfg.OnFailure
	}
	return s.mappingSettings().OnFailure
}

// batchingWindow is MaximumBatchingWindowInSeconds: the flag's, else the
// mapping's (0 when neither says).
func (s *State) batchingWindow() int32 {
	if w := s.Cfg.BatchingWindow; w != nil {
		return *w
	}
	return s.mappingSettings().MaximumBatchingWindowInSeconds
}

// pollerGroup is ProvisionedPollerConfig.PollerGroupName ("" when none).
func (s *State) pollerGroup() string {
	if s.Cfg.PollerGroup != "" {
		return s.Cfg.PollerGroup
	}
	if p := s.mappingSettings().Provisioned; p != nil {
		return p.Group
	}
	return ""
}

// effectiveSettings are the mapping's settings with the flags' values in
// place of the mapping's, so the notes state what the checks weighed.
func effectiveSettings(st awsprobe.Settings, c Config) awsprobe.Settings {
	if c.BatchSize > 0 {
		st.BatchSize = c.BatchSize
	}
	if c.BatchingWindow != nil {
		st.MaximumBatchingWindowInSeconds = *c.BatchingWindow
	}
	if c.StartingPosition != "" {
		st.StartingPosition = c.StartingPosition
	}
	if len(c.FilterCriteria) > 0 {
		st.FilterPatterns, st.FilterCriteriaError = c.FilterCriteria, ""
	}
	if c.MaximumPollers > 0 {
		p := awsprobe.Pollers{Minimum: max(c.MinimumPollers, 1), Maximum: c.MaximumPollers, Group: c.PollerGroup}
		if st.Provisioned != nil && p.Group == "" {
			p.Group = st.Provisioned.Group // the flag did not name one
		}
		st.Provisioned = &p
	}
	if c.OnFailure != "" {
		st.OnFailure = c.OnFailure
	}
	return st
}
