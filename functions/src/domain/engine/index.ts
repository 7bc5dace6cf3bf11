export { latestState, latestByType, canonicalJson, type LatestByType } from './latest-state.ts';
export { ownCounts, rollUp, type OwnCountsInput } from './counts.ts';
export { scorePeriod, scoreIndicator, rankInPeerGroups, isProvisional, type ScorePeriodInput } from './score.ts';
export {
  scoreAll,
  pooledCounts,
  splitByType,
  type ScoreAllInput,
  type PooledCounts,
  type PooledCountsInput,
  type SplitRecords,
} from './score-all.ts';
export { feedbackView, feedbackFigures, emptyFeedbackCounts, type FeedbackViewInput, type FeedbackCounts } from './feedback-view.ts';
export { MEASURE_INDEX } from './grid.ts';
