from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

COMPARISON_VERDICT_INSUFFICIENT_DATA: ComparisonVerdict
COMPARISON_VERDICT_NOT_SIGNIFICANT: ComparisonVerdict
COMPARISON_VERDICT_SIGNIFICANT: ComparisonVerdict
COMPARISON_VERDICT_UNSPECIFIED: ComparisonVerdict
DESCRIPTOR: _descriptor.FileDescriptor
ERROR_REASON_API_KEY_INVALID: ErrorReason
ERROR_REASON_API_KEY_MISSING: ErrorReason
ERROR_REASON_API_KEY_SCOPE_MISSING: ErrorReason
ERROR_REASON_DAY_TALLIES_EXPIRED: ErrorReason
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
GRANULARITY_DAY: Granularity
GRANULARITY_MONTH: Granularity
GRANULARITY_UNSPECIFIED: Granularity
GRANULARITY_WEEK: Granularity
REJECTION_REASON_ANSWERED_AT_IN_FUTURE: RejectionReason
REJECTION_REASON_ANSWERED_AT_TOO_OLD: RejectionReason
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
SEGMENT_ORDER_NPS: SegmentOrder
SEGMENT_ORDER_TOTAL: SegmentOrder
SEGMENT_ORDER_UNSPECIFIED: SegmentOrder

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
    __slots__ = ["answered_at", "product_id", "respondent_id", "score", "segments"]
    class SegmentsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDENT_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    answered_at: _timestamp_pb2.Timestamp
    product_id: str
    respondent_id: str
    score: int
    segments: _containers.ScalarMap[str, str]
    def __init__(self, product_id: _Optional[str] = ..., score: _Optional[int] = ..., segments: _Optional[_Mapping[str, str]] = ..., answered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., respondent_id: _Optional[str] = ...) -> None: ...

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
