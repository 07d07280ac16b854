from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACKNOWLEDGEMENT_PROBLEM_STALE_LEASE: AcknowledgementProblem
ACKNOWLEDGEMENT_PROBLEM_UNKNOWN: AcknowledgementProblem
ACKNOWLEDGEMENT_PROBLEM_UNSPECIFIED: AcknowledgementProblem
COMPARISON_VERDICT_INSUFFICIENT_DATA: ComparisonVerdict
COMPARISON_VERDICT_NOT_SIGNIFICANT: ComparisonVerdict
COMPARISON_VERDICT_SIGNIFICANT: ComparisonVerdict
COMPARISON_VERDICT_UNSPECIFIED: ComparisonVerdict
DESCRIPTOR: _descriptor.FileDescriptor
ERROR_REASON_API_KEY_INVALID: ErrorReason
ERROR_REASON_API_KEY_MISSING: ErrorReason
ERROR_REASON_API_KEY_SCOPE_MISSING: ErrorReason
ERROR_REASON_DAY_TALLIES_EXPIRED: ErrorReason
ERROR_REASON_FOLLOW_UP_GROUP_MISMATCH: ErrorReason
ERROR_REASON_FOLLOW_UP_GROUP_NOT_FOUND: ErrorReason
ERROR_REASON_INTERNAL: ErrorReason
ERROR_REASON_INVALID_FIELDS: ErrorReason
ERROR_REASON_MALFORMED_MESSAGE: ErrorReason
ERROR_REASON_MESSAGE_TOO_LARGE: ErrorReason
ERROR_REASON_NO_RESPONSES_IN_INTERVAL: ErrorReason
ERROR_REASON_PRODUCT_NOT_FOUND: ErrorReason
ERROR_REASON_RESPONDENT_CONFLICT: ErrorReason
ERROR_REASON_SEGMENT_NOT_FOUND: ErrorReason
ERROR_REASON_SHUTTING_DOWN: ErrorReason
ERROR_REASON_STORE_UNAVAILABLE: ErrorReason
ERROR_REASON_UNSPECIFIED: ErrorReason
FOLLOW_UP_OUTCOME_CONTACTED: FollowUpOutcome
FOLLOW_UP_OUTCOME_ESCALATED: FollowUpOutcome
FOLLOW_UP_OUTCOME_NOT_REACHED: FollowUpOutcome
FOLLOW_UP_OUTCOME_NO_ACTION_NEEDED: FollowUpOutcome
FOLLOW_UP_OUTCOME_RESOLVED: FollowUpOutcome
FOLLOW_UP_OUTCOME_UNSPECIFIED: FollowUpOutcome
GRANULARITY_DAY: Granularity
GRANULARITY_MONTH: Granularity
GRANULARITY_UNSPECIFIED: Granularity
GRANULARITY_WEEK: Granularity
RECORD_STATE_COUNTED: RecordState
RECORD_STATE_REPLACED: RecordState
RECORD_STATE_UNSPECIFIED: RecordState
REJECTION_REASON_ANSWERED_AT_IN_FUTURE: RejectionReason
REJECTION_REASON_ANSWERED_AT_TOO_OLD: RejectionReason
REJECTION_REASON_COMMENT_INVALID_CHARACTER: RejectionReason
REJECTION_REASON_COMMENT_TOO_LONG: RejectionReason
REJECTION_REASON_INVALID_LANGUAGE_CODE: RejectionReason
REJECTION_REASON_INVALID_PRODUCT_ID: RejectionReason
REJECTION_REASON_INVALID_RESPONDENT_ID: RejectionReason
REJECTION_REASON_INVALID_SEGMENT_KEY: RejectionReason
REJECTION_REASON_INVALID_SEGMENT_VALUE: RejectionReason
REJECTION_REASON_MISSING_SCORE: RejectionReason
REJECTION_REASON_SCORE_OUT_OF_RANGE: RejectionReason
REJECTION_REASON_TOO_MANY_SEGMENTS: RejectionReason
REJECTION_REASON_UNSPECIFIED: RejectionReason
RESPONSE_OUTCOME_ALREADY_APPLIED: ResponseOutcome
RESPONSE_OUTCOME_COUNTED: ResponseOutcome
RESPONSE_OUTCOME_REJECTED: ResponseOutcome
RESPONSE_OUTCOME_REPLACED: ResponseOutcome
RESPONSE_OUTCOME_SUPERSEDED: ResponseOutcome
RESPONSE_OUTCOME_UNSPECIFIED: ResponseOutcome
SCORE_CATEGORY_DETRACTOR: ScoreCategory
SCORE_CATEGORY_PASSIVE: ScoreCategory
SCORE_CATEGORY_PROMOTER: ScoreCategory
SCORE_CATEGORY_UNSPECIFIED: ScoreCategory
SEGMENT_ORDER_NPS: SegmentOrder
SEGMENT_ORDER_TOTAL: SegmentOrder
SEGMENT_ORDER_UNSPECIFIED: SegmentOrder

class AcknowledgeFollowUpsRequest(_message.Message):
    __slots__ = ["acknowledgements"]
    ACKNOWLEDGEMENTS_FIELD_NUMBER: _ClassVar[int]
    acknowledgements: _containers.RepeatedCompositeFieldContainer[FollowUpAcknowledgement]
    def __init__(self, acknowledgements: _Optional[_Iterable[_Union[FollowUpAcknowledgement, _Mapping]]] = ...) -> None: ...

class AcknowledgeFollowUpsResponse(_message.Message):
    __slots__ = ["exceptions"]
    EXCEPTIONS_FIELD_NUMBER: _ClassVar[int]
    exceptions: _containers.RepeatedCompositeFieldContainer[AcknowledgementException]
    def __init__(self, exceptions: _Optional[_Iterable[_Union[AcknowledgementException, _Mapping]]] = ...) -> None: ...

class AcknowledgementException(_message.Message):
    __slots__ = ["ack_id", "index", "problem"]
    ACK_ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    ack_id: str
    index: int
    problem: AcknowledgementProblem
    def __init__(self, index: _Optional[int] = ..., ack_id: _Optional[str] = ..., problem: _Optional[_Union[AcknowledgementProblem, str]] = ...) -> None: ...

class CompareScoresRequest(_message.Message):
    __slots__ = ["confidence_percent", "first", "second"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    first: ScoreScope
    second: ScoreScope
    def __init__(self, first: _Optional[_Union[ScoreScope, _Mapping]] = ..., second: _Optional[_Union[ScoreScope, _Mapping]] = ..., confidence_percent: _Optional[float] = ...) -> None: ...

class CompareScoresResponse(_message.Message):
    __slots__ = ["difference", "difference_interval", "first", "p_value", "second", "significant", "standard_error", "verdict", "z"]
    DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    P_VALUE_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    SIGNIFICANT_FIELD_NUMBER: _ClassVar[int]
    STANDARD_ERROR_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    Z_FIELD_NUMBER: _ClassVar[int]
    difference: float
    difference_interval: ConfidenceInterval
    first: Score
    p_value: float
    second: Score
    significant: bool
    standard_error: float
    verdict: ComparisonVerdict
    z: float
    def __init__(self, first: _Optional[_Union[Score, _Mapping]] = ..., second: _Optional[_Union[Score, _Mapping]] = ..., difference: _Optional[float] = ..., standard_error: _Optional[float] = ..., difference_interval: _Optional[_Union[ConfidenceInterval, _Mapping]] = ..., z: _Optional[float] = ..., p_value: _Optional[float] = ..., significant: bool = ..., verdict: _Optional[_Union[ComparisonVerdict, str]] = ...) -> None: ...

class ConfidenceInterval(_message.Message):
    __slots__ = ["confidence_percent", "lower", "upper"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    LOWER_FIELD_NUMBER: _ClassVar[int]
    UPPER_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    lower: float
    upper: float
    def __init__(self, lower: _Optional[float] = ..., upper: _Optional[float] = ..., confidence_percent: _Optional[float] = ...) -> None: ...

class DeleteRespondentRecordsRequest(_message.Message):
    __slots__ = ["product_ids", "respondent_id"]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    RESPONDENT_ID_FIELD_NUMBER: _ClassVar[int]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    respondent_id: str
    def __init__(self, respondent_id: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteRespondentRecordsResponse(_message.Message):
    __slots__ = ["deleted_record_count"]
    DELETED_RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_record_count: int
    def __init__(self, deleted_record_count: _Optional[int] = ...) -> None: ...

class FollowUpAcknowledgement(_message.Message):
    __slots__ = ["ack_id", "note", "outcome"]
    ACK_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ack_id: str
    note: str
    outcome: FollowUpOutcome
    def __init__(self, ack_id: _Optional[str] = ..., outcome: _Optional[_Union[FollowUpOutcome, str]] = ..., note: _Optional[str] = ...) -> None: ...

class FollowUpBacklog(_message.Message):
    __slots__ = ["done_count", "done_in_interval_count", "in_progress_count", "median_time_to_done", "oldest_waiting_age", "product_id", "waiting_count"]
    DONE_COUNT_FIELD_NUMBER: _ClassVar[int]
    DONE_IN_INTERVAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_TIME_TO_DONE_FIELD_NUMBER: _ClassVar[int]
    OLDEST_WAITING_AGE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    WAITING_COUNT_FIELD_NUMBER: _ClassVar[int]
    done_count: int
    done_in_interval_count: int
    in_progress_count: int
    median_time_to_done: _duration_pb2.Duration
    oldest_waiting_age: _duration_pb2.Duration
    product_id: str
    waiting_count: int
    def __init__(self, product_id: _Optional[str] = ..., waiting_count: _Optional[int] = ..., in_progress_count: _Optional[int] = ..., done_count: _Optional[int] = ..., oldest_waiting_age: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., done_in_interval_count: _Optional[int] = ..., median_time_to_done: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class FollowUpDelivery(_message.Message):
    __slots__ = ["ack_id", "attempt", "lease_expire_time", "record"]
    ACK_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    ack_id: str
    attempt: int
    lease_expire_time: _timestamp_pb2.Timestamp
    record: ResponseRecord
    def __init__(self, ack_id: _Optional[str] = ..., attempt: _Optional[int] = ..., record: _Optional[_Union[ResponseRecord, _Mapping]] = ..., lease_expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FollowUpResult(_message.Message):
    __slots__ = ["consumer", "done_time", "group", "note", "outcome"]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    DONE_TIME_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    consumer: str
    done_time: _timestamp_pb2.Timestamp
    group: str
    note: str
    outcome: FollowUpOutcome
    def __init__(self, group: _Optional[str] = ..., consumer: _Optional[str] = ..., outcome: _Optional[_Union[FollowUpOutcome, str]] = ..., note: _Optional[str] = ..., done_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetFollowUpBacklogRequest(_message.Message):
    __slots__ = ["end_time", "group", "product_ids", "start_time"]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    end_time: _timestamp_pb2.Timestamp
    group: str
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, group: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetFollowUpBacklogResponse(_message.Message):
    __slots__ = ["backlogs"]
    BACKLOGS_FIELD_NUMBER: _ClassVar[int]
    backlogs: _containers.RepeatedCompositeFieldContainer[FollowUpBacklog]
    def __init__(self, backlogs: _Optional[_Iterable[_Union[FollowUpBacklog, _Mapping]]] = ...) -> None: ...

class GetKeyTermsRequest(_message.Message):
    __slots__ = ["end_time", "max_terms", "min_count", "min_z", "product_id", "start_time"]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    MAX_TERMS_FIELD_NUMBER: _ClassVar[int]
    MIN_COUNT_FIELD_NUMBER: _ClassVar[int]
    MIN_Z_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    end_time: _timestamp_pb2.Timestamp
    max_terms: int
    min_count: int
    min_z: float
    product_id: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., min_z: _Optional[float] = ..., min_count: _Optional[int] = ..., max_terms: _Optional[int] = ...) -> None: ...

class GetKeyTermsResponse(_message.Message):
    __slots__ = ["detractor_comment_count", "detractor_terms", "passive_comment_count", "promoter_comment_count", "promoter_terms"]
    DETRACTOR_COMMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    DETRACTOR_TERMS_FIELD_NUMBER: _ClassVar[int]
    PASSIVE_COMMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROMOTER_COMMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROMOTER_TERMS_FIELD_NUMBER: _ClassVar[int]
    detractor_comment_count: int
    detractor_terms: _containers.RepeatedCompositeFieldContainer[KeyTerm]
    passive_comment_count: int
    promoter_comment_count: int
    promoter_terms: _containers.RepeatedCompositeFieldContainer[KeyTerm]
    def __init__(self, detractor_terms: _Optional[_Iterable[_Union[KeyTerm, _Mapping]]] = ..., promoter_terms: _Optional[_Iterable[_Union[KeyTerm, _Mapping]]] = ..., detractor_comment_count: _Optional[int] = ..., passive_comment_count: _Optional[int] = ..., promoter_comment_count: _Optional[int] = ...) -> None: ...

class GetScoreRequest(_message.Message):
    __slots__ = ["confidence_percent", "end_time", "product_id", "segment", "start_time"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    end_time: _timestamp_pb2.Timestamp
    product_id: str
    segment: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., segment: _Optional[str] = ..., confidence_percent: _Optional[float] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetScoreResponse(_message.Message):
    __slots__ = ["score"]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    score: Score
    def __init__(self, score: _Optional[_Union[Score, _Mapping]] = ...) -> None: ...

class GetScoreTrendRequest(_message.Message):
    __slots__ = ["confidence_percent", "end_time", "granularity", "product_id", "rolling_window_days", "segment", "start_time"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    GRANULARITY_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLING_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    end_time: _timestamp_pb2.Timestamp
    granularity: Granularity
    product_id: str
    rolling_window_days: int
    segment: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., segment: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., granularity: _Optional[_Union[Granularity, str]] = ..., rolling_window_days: _Optional[int] = ..., confidence_percent: _Optional[float] = ...) -> None: ...

class GetScoreTrendResponse(_message.Message):
    __slots__ = ["points"]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[TrendPoint]
    def __init__(self, points: _Optional[_Iterable[_Union[TrendPoint, _Mapping]]] = ...) -> None: ...

class IndexedOutcome(_message.Message):
    __slots__ = ["index", "outcome"]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    index: int
    outcome: ResponseOutcome
    def __init__(self, index: _Optional[int] = ..., outcome: _Optional[_Union[ResponseOutcome, str]] = ...) -> None: ...

class KeyTerm(_message.Message):
    __slots__ = ["detractor_count", "passive_count", "promoter_count", "term", "z_score"]
    DETRACTOR_COUNT_FIELD_NUMBER: _ClassVar[int]
    PASSIVE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROMOTER_COUNT_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    Z_SCORE_FIELD_NUMBER: _ClassVar[int]
    detractor_count: int
    passive_count: int
    promoter_count: int
    term: str
    z_score: float
    def __init__(self, term: _Optional[str] = ..., detractor_count: _Optional[int] = ..., passive_count: _Optional[int] = ..., promoter_count: _Optional[int] = ..., z_score: _Optional[float] = ...) -> None: ...

class ListResponsesRequest(_message.Message):
    __slots__ = ["categories", "end_time", "only_with_comment", "page_size", "page_token", "product_id", "segment", "start_time"]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ONLY_WITH_COMMENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[ScoreCategory]
    end_time: _timestamp_pb2.Timestamp
    only_with_comment: bool
    page_size: int
    page_token: str
    product_id: str
    segment: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., segment: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[ScoreCategory, str]]] = ..., only_with_comment: bool = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListResponsesResponse(_message.Message):
    __slots__ = ["next_page_token", "records"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    records: _containers.RepeatedCompositeFieldContainer[ResponseRecord]
    def __init__(self, records: _Optional[_Iterable[_Union[ResponseRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListSegmentsRequest(_message.Message):
    __slots__ = ["confidence_percent", "order_by", "page_size", "page_token", "product_id"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    order_by: SegmentOrder
    page_size: int
    page_token: str
    product_id: str
    def __init__(self, product_id: _Optional[str] = ..., order_by: _Optional[_Union[SegmentOrder, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., confidence_percent: _Optional[float] = ...) -> None: ...

class ListSegmentsResponse(_message.Message):
    __slots__ = ["next_page_token", "segments"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    segments: _containers.RepeatedCompositeFieldContainer[SegmentScore]
    def __init__(self, segments: _Optional[_Iterable[_Union[SegmentScore, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RejectedResponse(_message.Message):
    __slots__ = ["description", "field", "index", "reason"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    description: str
    field: str
    index: int
    reason: RejectionReason
    def __init__(self, index: _Optional[int] = ..., field: _Optional[str] = ..., description: _Optional[str] = ..., reason: _Optional[_Union[RejectionReason, str]] = ...) -> None: ...

class ResponseRecord(_message.Message):
    __slots__ = ["answered_at", "category", "comment", "follow_ups", "language_code", "product_id", "record_id", "record_time", "respondent_id", "score", "segments", "state"]
    class SegmentsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UPS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    RESPONDENT_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    answered_at: _timestamp_pb2.Timestamp
    category: ScoreCategory
    comment: str
    follow_ups: _containers.RepeatedCompositeFieldContainer[FollowUpResult]
    language_code: str
    product_id: str
    record_id: str
    record_time: _timestamp_pb2.Timestamp
    respondent_id: str
    score: int
    segments: _containers.ScalarMap[str, str]
    state: RecordState
    def __init__(self, record_id: _Optional[str] = ..., product_id: _Optional[str] = ..., score: _Optional[int] = ..., category: _Optional[_Union[ScoreCategory, str]] = ..., answered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., respondent_id: _Optional[str] = ..., segments: _Optional[_Mapping[str, str]] = ..., comment: _Optional[str] = ..., language_code: _Optional[str] = ..., state: _Optional[_Union[RecordState, str]] = ..., record_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., follow_ups: _Optional[_Iterable[_Union[FollowUpResult, _Mapping]]] = ...) -> None: ...

class Score(_message.Message):
    __slots__ = ["confidence_interval", "detractor_percent", "detractors", "distribution", "low_sample", "nps", "passive_percent", "passives", "promoter_percent", "promoters", "standard_error", "total"]
    CONFIDENCE_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    DETRACTORS_FIELD_NUMBER: _ClassVar[int]
    DETRACTOR_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    LOW_SAMPLE_FIELD_NUMBER: _ClassVar[int]
    NPS_FIELD_NUMBER: _ClassVar[int]
    PASSIVES_FIELD_NUMBER: _ClassVar[int]
    PASSIVE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PROMOTERS_FIELD_NUMBER: _ClassVar[int]
    PROMOTER_PERCENT_FIELD_NUMBER: _ClassVar[int]
    STANDARD_ERROR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    confidence_interval: ConfidenceInterval
    detractor_percent: float
    detractors: int
    distribution: _containers.RepeatedScalarFieldContainer[int]
    low_sample: bool
    nps: float
    passive_percent: float
    passives: int
    promoter_percent: float
    promoters: int
    standard_error: float
    total: int
    def __init__(self, promoters: _Optional[int] = ..., passives: _Optional[int] = ..., detractors: _Optional[int] = ..., total: _Optional[int] = ..., nps: _Optional[float] = ..., promoter_percent: _Optional[float] = ..., passive_percent: _Optional[float] = ..., detractor_percent: _Optional[float] = ..., distribution: _Optional[_Iterable[int]] = ..., confidence_interval: _Optional[_Union[ConfidenceInterval, _Mapping]] = ..., standard_error: _Optional[float] = ..., low_sample: bool = ...) -> None: ...

class ScoreScope(_message.Message):
    __slots__ = ["end_time", "product_id", "segment", "start_time"]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    end_time: _timestamp_pb2.Timestamp
    product_id: str
    segment: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., segment: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SegmentScore(_message.Message):
    __slots__ = ["score", "segment"]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    score: Score
    segment: str
    def __init__(self, segment: _Optional[str] = ..., score: _Optional[_Union[Score, _Mapping]] = ...) -> None: ...

class StreamFollowUpsRequest(_message.Message):
    __slots__ = ["categories", "consumer", "group", "max_outstanding", "only_with_comment", "product_ids", "start_time", "visibility_timeout"]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    ONLY_WITH_COMMENT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[ScoreCategory]
    consumer: str
    group: str
    max_outstanding: int
    only_with_comment: bool
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    start_time: _timestamp_pb2.Timestamp
    visibility_timeout: _duration_pb2.Duration
    def __init__(self, group: _Optional[str] = ..., consumer: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., categories: _Optional[_Iterable[_Union[ScoreCategory, str]]] = ..., only_with_comment: bool = ..., visibility_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., max_outstanding: _Optional[int] = ...) -> None: ...

class StreamFollowUpsResponse(_message.Message):
    __slots__ = ["deliveries"]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[FollowUpDelivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[FollowUpDelivery, _Mapping]]] = ...) -> None: ...

class SubmitResponsesRequest(_message.Message):
    __slots__ = ["responses", "sequence", "writer_id"]
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    WRITER_ID_FIELD_NUMBER: _ClassVar[int]
    responses: _containers.RepeatedCompositeFieldContainer[SurveyResponse]
    sequence: int
    writer_id: str
    def __init__(self, writer_id: _Optional[str] = ..., sequence: _Optional[int] = ..., responses: _Optional[_Iterable[_Union[SurveyResponse, _Mapping]]] = ...) -> None: ...

class SubmitResponsesResponse(_message.Message):
    __slots__ = ["accepted_count", "already_applied_count", "duplicate", "other_outcomes", "outcomes", "rejected", "replaced_count", "sequence", "superseded_count"]
    ACCEPTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    ALREADY_APPLIED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    OTHER_OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    REPLACED_COUNT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_COUNT_FIELD_NUMBER: _ClassVar[int]
    accepted_count: int
    already_applied_count: int
    duplicate: bool
    other_outcomes: _containers.RepeatedCompositeFieldContainer[IndexedOutcome]
    outcomes: _containers.RepeatedScalarFieldContainer[ResponseOutcome]
    rejected: _containers.RepeatedCompositeFieldContainer[RejectedResponse]
    replaced_count: int
    sequence: int
    superseded_count: int
    def __init__(self, sequence: _Optional[int] = ..., accepted_count: _Optional[int] = ..., duplicate: bool = ..., rejected: _Optional[_Iterable[_Union[RejectedResponse, _Mapping]]] = ..., outcomes: _Optional[_Iterable[_Union[ResponseOutcome, str]]] = ..., replaced_count: _Optional[int] = ..., superseded_count: _Optional[int] = ..., other_outcomes: _Optional[_Iterable[_Union[IndexedOutcome, _Mapping]]] = ..., already_applied_count: _Optional[int] = ...) -> None: ...

class SurveyResponse(_message.Message):
    __slots__ = ["answered_at", "comment", "language_code", "product_id", "respondent_id", "score", "segments"]
    class SegmentsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDENT_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    answered_at: _timestamp_pb2.Timestamp
    comment: str
    language_code: str
    product_id: str
    respondent_id: str
    score: int
    segments: _containers.ScalarMap[str, str]
    def __init__(self, product_id: _Optional[str] = ..., score: _Optional[int] = ..., segments: _Optional[_Mapping[str, str]] = ..., answered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., respondent_id: _Optional[str] = ..., comment: _Optional[str] = ..., language_code: _Optional[str] = ...) -> None: ...

class TrendPoint(_message.Message):
    __slots__ = ["period_end", "period_start", "score", "window_start"]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    period_end: _timestamp_pb2.Timestamp
    period_start: _timestamp_pb2.Timestamp
    score: Score
    window_start: _timestamp_pb2.Timestamp
    def __init__(self, period_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., window_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., score: _Optional[_Union[Score, _Mapping]] = ...) -> None: ...

class WatchScoreRequest(_message.Message):
    __slots__ = ["confidence_percent", "min_interval", "product_id", "segment", "window_days"]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MIN_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    confidence_percent: float
    min_interval: _duration_pb2.Duration
    product_id: str
    segment: str
    window_days: int
    def __init__(self, product_id: _Optional[str] = ..., segment: _Optional[str] = ..., window_days: _Optional[int] = ..., confidence_percent: _Optional[float] = ..., min_interval: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchScoreResponse(_message.Message):
    __slots__ = ["read_time", "score", "window_start"]
    READ_TIME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    read_time: _timestamp_pb2.Timestamp
    score: Score
    window_start: _timestamp_pb2.Timestamp
    def __init__(self, score: _Optional[_Union[Score, _Mapping]] = ..., window_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., read_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResponseOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RejectionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Granularity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SegmentOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ComparisonVerdict(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ScoreCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RecordState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class FollowUpOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AcknowledgementProblem(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
