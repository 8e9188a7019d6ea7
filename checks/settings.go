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
