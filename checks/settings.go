package checks

// The mapping's processing settings the checks weigh: a value given in the
// configuration (a flag) wins; otherwise the mapping the mapping check
// read supplies it.

// startingPosition is LATEST, TRIM_HORIZON, AT_TIMESTAMP or "" (unknown).
func (s *State) startingPosition() string {
	return s.Cfg.StartingPosition
}
