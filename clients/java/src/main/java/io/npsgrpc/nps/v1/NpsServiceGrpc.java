package io.npsgrpc.nps.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * NpsService ingests answers to the question "how likely are you to recommend
 * us, 0 to 10?" and serves Net Promoter Scores per product and per segment.
 * Scores are read from pre-aggregated counters, so reading a score costs the
 * same however many responses were submitted.
 * Each RPC lists every status it ends with. Every error the server raises
 * itself carries a google.rpc.ErrorInfo with domain "nps.v1" and the reason
 * named in brackets (an ErrorReason name): branch on the reason, never on the
 * message. DEADLINE_EXCEEDED comes from the gRPC runtime, without ErrorInfo. A
 * call the client cancels ends with CANCELLED on the client's side; the
 * server sends nothing more.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: nps/v1/nps.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class NpsServiceGrpc {

  private NpsServiceGrpc() {}

  public static final String SERVICE_NAME = "nps.v1.NpsService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest,
      io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponsesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SubmitResponses",
      requestType = io.npsgrpc.nps.v1.SubmitResponsesRequest.class,
      responseType = io.npsgrpc.nps.v1.SubmitResponsesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest,
      io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponsesMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest, io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponsesMethod;
    if ((getSubmitResponsesMethod = NpsServiceGrpc.getSubmitResponsesMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getSubmitResponsesMethod = NpsServiceGrpc.getSubmitResponsesMethod) == null) {
          NpsServiceGrpc.getSubmitResponsesMethod = getSubmitResponsesMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.SubmitResponsesRequest, io.npsgrpc.nps.v1.SubmitResponsesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SubmitResponses"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.SubmitResponsesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.SubmitResponsesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("SubmitResponses"))
              .build();
        }
      }
    }
    return getSubmitResponsesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest,
      io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponseBatchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SubmitResponseBatch",
      requestType = io.npsgrpc.nps.v1.SubmitResponsesRequest.class,
      responseType = io.npsgrpc.nps.v1.SubmitResponsesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest,
      io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponseBatchMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.SubmitResponsesRequest, io.npsgrpc.nps.v1.SubmitResponsesResponse> getSubmitResponseBatchMethod;
    if ((getSubmitResponseBatchMethod = NpsServiceGrpc.getSubmitResponseBatchMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getSubmitResponseBatchMethod = NpsServiceGrpc.getSubmitResponseBatchMethod) == null) {
          NpsServiceGrpc.getSubmitResponseBatchMethod = getSubmitResponseBatchMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.SubmitResponsesRequest, io.npsgrpc.nps.v1.SubmitResponsesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SubmitResponseBatch"))
              .setIdempotent(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.SubmitResponsesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.SubmitResponsesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("SubmitResponseBatch"))
              .build();
        }
      }
    }
    return getSubmitResponseBatchMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreRequest,
      io.npsgrpc.nps.v1.GetScoreResponse> getGetScoreMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetScore",
      requestType = io.npsgrpc.nps.v1.GetScoreRequest.class,
      responseType = io.npsgrpc.nps.v1.GetScoreResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreRequest,
      io.npsgrpc.nps.v1.GetScoreResponse> getGetScoreMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreRequest, io.npsgrpc.nps.v1.GetScoreResponse> getGetScoreMethod;
    if ((getGetScoreMethod = NpsServiceGrpc.getGetScoreMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getGetScoreMethod = NpsServiceGrpc.getGetScoreMethod) == null) {
          NpsServiceGrpc.getGetScoreMethod = getGetScoreMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.GetScoreRequest, io.npsgrpc.nps.v1.GetScoreResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetScore"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetScoreRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetScoreResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("GetScore"))
              .build();
        }
      }
    }
    return getGetScoreMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.WatchScoreRequest,
      io.npsgrpc.nps.v1.WatchScoreResponse> getWatchScoreMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchScore",
      requestType = io.npsgrpc.nps.v1.WatchScoreRequest.class,
      responseType = io.npsgrpc.nps.v1.WatchScoreResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.WatchScoreRequest,
      io.npsgrpc.nps.v1.WatchScoreResponse> getWatchScoreMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.WatchScoreRequest, io.npsgrpc.nps.v1.WatchScoreResponse> getWatchScoreMethod;
    if ((getWatchScoreMethod = NpsServiceGrpc.getWatchScoreMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getWatchScoreMethod = NpsServiceGrpc.getWatchScoreMethod) == null) {
          NpsServiceGrpc.getWatchScoreMethod = getWatchScoreMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.WatchScoreRequest, io.npsgrpc.nps.v1.WatchScoreResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchScore"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.WatchScoreRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.WatchScoreResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("WatchScore"))
              .build();
        }
      }
    }
    return getWatchScoreMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.CompareScoresRequest,
      io.npsgrpc.nps.v1.CompareScoresResponse> getCompareScoresMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CompareScores",
      requestType = io.npsgrpc.nps.v1.CompareScoresRequest.class,
      responseType = io.npsgrpc.nps.v1.CompareScoresResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.CompareScoresRequest,
      io.npsgrpc.nps.v1.CompareScoresResponse> getCompareScoresMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.CompareScoresRequest, io.npsgrpc.nps.v1.CompareScoresResponse> getCompareScoresMethod;
    if ((getCompareScoresMethod = NpsServiceGrpc.getCompareScoresMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getCompareScoresMethod = NpsServiceGrpc.getCompareScoresMethod) == null) {
          NpsServiceGrpc.getCompareScoresMethod = getCompareScoresMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.CompareScoresRequest, io.npsgrpc.nps.v1.CompareScoresResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CompareScores"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.CompareScoresRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.CompareScoresResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("CompareScores"))
              .build();
        }
      }
    }
    return getCompareScoresMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreTrendRequest,
      io.npsgrpc.nps.v1.GetScoreTrendResponse> getGetScoreTrendMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetScoreTrend",
      requestType = io.npsgrpc.nps.v1.GetScoreTrendRequest.class,
      responseType = io.npsgrpc.nps.v1.GetScoreTrendResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreTrendRequest,
      io.npsgrpc.nps.v1.GetScoreTrendResponse> getGetScoreTrendMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetScoreTrendRequest, io.npsgrpc.nps.v1.GetScoreTrendResponse> getGetScoreTrendMethod;
    if ((getGetScoreTrendMethod = NpsServiceGrpc.getGetScoreTrendMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getGetScoreTrendMethod = NpsServiceGrpc.getGetScoreTrendMethod) == null) {
          NpsServiceGrpc.getGetScoreTrendMethod = getGetScoreTrendMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.GetScoreTrendRequest, io.npsgrpc.nps.v1.GetScoreTrendResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetScoreTrend"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetScoreTrendRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetScoreTrendResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("GetScoreTrend"))
              .build();
        }
      }
    }
    return getGetScoreTrendMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListSegmentsRequest,
      io.npsgrpc.nps.v1.ListSegmentsResponse> getListSegmentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSegments",
      requestType = io.npsgrpc.nps.v1.ListSegmentsRequest.class,
      responseType = io.npsgrpc.nps.v1.ListSegmentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListSegmentsRequest,
      io.npsgrpc.nps.v1.ListSegmentsResponse> getListSegmentsMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListSegmentsRequest, io.npsgrpc.nps.v1.ListSegmentsResponse> getListSegmentsMethod;
    if ((getListSegmentsMethod = NpsServiceGrpc.getListSegmentsMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getListSegmentsMethod = NpsServiceGrpc.getListSegmentsMethod) == null) {
          NpsServiceGrpc.getListSegmentsMethod = getListSegmentsMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.ListSegmentsRequest, io.npsgrpc.nps.v1.ListSegmentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSegments"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.ListSegmentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.ListSegmentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("ListSegments"))
              .build();
        }
      }
    }
    return getListSegmentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListResponsesRequest,
      io.npsgrpc.nps.v1.ListResponsesResponse> getListResponsesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListResponses",
      requestType = io.npsgrpc.nps.v1.ListResponsesRequest.class,
      responseType = io.npsgrpc.nps.v1.ListResponsesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListResponsesRequest,
      io.npsgrpc.nps.v1.ListResponsesResponse> getListResponsesMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.ListResponsesRequest, io.npsgrpc.nps.v1.ListResponsesResponse> getListResponsesMethod;
    if ((getListResponsesMethod = NpsServiceGrpc.getListResponsesMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getListResponsesMethod = NpsServiceGrpc.getListResponsesMethod) == null) {
          NpsServiceGrpc.getListResponsesMethod = getListResponsesMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.ListResponsesRequest, io.npsgrpc.nps.v1.ListResponsesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListResponses"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.ListResponsesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.ListResponsesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("ListResponses"))
              .build();
        }
      }
    }
    return getListResponsesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.StreamFollowUpsRequest,
      io.npsgrpc.nps.v1.StreamFollowUpsResponse> getStreamFollowUpsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "StreamFollowUps",
      requestType = io.npsgrpc.nps.v1.StreamFollowUpsRequest.class,
      responseType = io.npsgrpc.nps.v1.StreamFollowUpsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.StreamFollowUpsRequest,
      io.npsgrpc.nps.v1.StreamFollowUpsResponse> getStreamFollowUpsMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.StreamFollowUpsRequest, io.npsgrpc.nps.v1.StreamFollowUpsResponse> getStreamFollowUpsMethod;
    if ((getStreamFollowUpsMethod = NpsServiceGrpc.getStreamFollowUpsMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getStreamFollowUpsMethod = NpsServiceGrpc.getStreamFollowUpsMethod) == null) {
          NpsServiceGrpc.getStreamFollowUpsMethod = getStreamFollowUpsMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.StreamFollowUpsRequest, io.npsgrpc.nps.v1.StreamFollowUpsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "StreamFollowUps"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.StreamFollowUpsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.StreamFollowUpsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("StreamFollowUps"))
              .build();
        }
      }
    }
    return getStreamFollowUpsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest,
      io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> getAcknowledgeFollowUpsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AcknowledgeFollowUps",
      requestType = io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest.class,
      responseType = io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest,
      io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> getAcknowledgeFollowUpsMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest, io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> getAcknowledgeFollowUpsMethod;
    if ((getAcknowledgeFollowUpsMethod = NpsServiceGrpc.getAcknowledgeFollowUpsMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getAcknowledgeFollowUpsMethod = NpsServiceGrpc.getAcknowledgeFollowUpsMethod) == null) {
          NpsServiceGrpc.getAcknowledgeFollowUpsMethod = getAcknowledgeFollowUpsMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest, io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AcknowledgeFollowUps"))
              .setIdempotent(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("AcknowledgeFollowUps"))
              .build();
        }
      }
    }
    return getAcknowledgeFollowUpsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetFollowUpBacklogRequest,
      io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> getGetFollowUpBacklogMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetFollowUpBacklog",
      requestType = io.npsgrpc.nps.v1.GetFollowUpBacklogRequest.class,
      responseType = io.npsgrpc.nps.v1.GetFollowUpBacklogResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetFollowUpBacklogRequest,
      io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> getGetFollowUpBacklogMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetFollowUpBacklogRequest, io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> getGetFollowUpBacklogMethod;
    if ((getGetFollowUpBacklogMethod = NpsServiceGrpc.getGetFollowUpBacklogMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getGetFollowUpBacklogMethod = NpsServiceGrpc.getGetFollowUpBacklogMethod) == null) {
          NpsServiceGrpc.getGetFollowUpBacklogMethod = getGetFollowUpBacklogMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.GetFollowUpBacklogRequest, io.npsgrpc.nps.v1.GetFollowUpBacklogResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetFollowUpBacklog"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetFollowUpBacklogRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetFollowUpBacklogResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("GetFollowUpBacklog"))
              .build();
        }
      }
    }
    return getGetFollowUpBacklogMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest,
      io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> getDeleteRespondentRecordsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteRespondentRecords",
      requestType = io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest.class,
      responseType = io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest,
      io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> getDeleteRespondentRecordsMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest, io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> getDeleteRespondentRecordsMethod;
    if ((getDeleteRespondentRecordsMethod = NpsServiceGrpc.getDeleteRespondentRecordsMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getDeleteRespondentRecordsMethod = NpsServiceGrpc.getDeleteRespondentRecordsMethod) == null) {
          NpsServiceGrpc.getDeleteRespondentRecordsMethod = getDeleteRespondentRecordsMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest, io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteRespondentRecords"))
              .setIdempotent(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("DeleteRespondentRecords"))
              .build();
        }
      }
    }
    return getDeleteRespondentRecordsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetKeyTermsRequest,
      io.npsgrpc.nps.v1.GetKeyTermsResponse> getGetKeyTermsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetKeyTerms",
      requestType = io.npsgrpc.nps.v1.GetKeyTermsRequest.class,
      responseType = io.npsgrpc.nps.v1.GetKeyTermsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetKeyTermsRequest,
      io.npsgrpc.nps.v1.GetKeyTermsResponse> getGetKeyTermsMethod() {
    io.grpc.MethodDescriptor<io.npsgrpc.nps.v1.GetKeyTermsRequest, io.npsgrpc.nps.v1.GetKeyTermsResponse> getGetKeyTermsMethod;
    if ((getGetKeyTermsMethod = NpsServiceGrpc.getGetKeyTermsMethod) == null) {
      synchronized (NpsServiceGrpc.class) {
        if ((getGetKeyTermsMethod = NpsServiceGrpc.getGetKeyTermsMethod) == null) {
          NpsServiceGrpc.getGetKeyTermsMethod = getGetKeyTermsMethod =
              io.grpc.MethodDescriptor.<io.npsgrpc.nps.v1.GetKeyTermsRequest, io.npsgrpc.nps.v1.GetKeyTermsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetKeyTerms"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetKeyTermsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.npsgrpc.nps.v1.GetKeyTermsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NpsServiceMethodDescriptorSupplier("GetKeyTerms"))
              .build();
        }
      }
    }
    return getGetKeyTermsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static NpsServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NpsServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NpsServiceStub>() {
        @java.lang.Override
        public NpsServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NpsServiceStub(channel, callOptions);
        }
      };
    return NpsServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static NpsServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NpsServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NpsServiceBlockingStub>() {
        @java.lang.Override
        public NpsServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NpsServiceBlockingStub(channel, callOptions);
        }
      };
    return NpsServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static NpsServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NpsServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NpsServiceFutureStub>() {
        @java.lang.Override
        public NpsServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NpsServiceFutureStub(channel, callOptions);
        }
      };
    return NpsServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * NpsService ingests answers to the question "how likely are you to recommend
   * us, 0 to 10?" and serves Net Promoter Scores per product and per segment.
   * Scores are read from pre-aggregated counters, so reading a score costs the
   * same however many responses were submitted.
   * Each RPC lists every status it ends with. Every error the server raises
   * itself carries a google.rpc.ErrorInfo with domain "nps.v1" and the reason
   * named in brackets (an ErrorReason name): branch on the reason, never on the
   * message. DEADLINE_EXCEEDED comes from the gRPC runtime, without ErrorInfo. A
   * call the client cancels ends with CANCELLED on the client's side; the
   * server sends nothing more.
   * </pre>
   */
  public static abstract class NpsServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * SubmitResponses streams batches of survey responses in and answers each
     * request, in order, with exactly one SubmitResponsesResponse.
     * Delivery is exactly-once when the client sets `writer_id` and numbers its
     * batches with increasing `sequence` values: a batch re-sent with the same
     * writer and sequence (after a timeout, a dropped stream or a server
     * restart, to any server instance) is acknowledged as a duplicate and never
     * counted twice. The exactly-once key is (writer, product, sequence), kept
     * until the writer's idle expiry (see `SubmitResponsesRequest.sequence`):
     * a re-send of a batch that failed part way is not a duplicate; it counts
     * the products that were missing and answers RESPONSE_OUTCOME_ALREADY_APPLIED
     * for the responses of the others. Without `writer_id`, delivery is
     * at-least-once: a batch re-sent after a lost acknowledgement may be
     * counted twice.
     * Invalid responses are rejected one by one in the acknowledgement while the
     * rest of the batch counts. A request that is malformed as a whole ends the
     * stream with an error and nothing of that request is counted; the batches
     * acknowledged before it stay counted. After UNAVAILABLE, re-send the
     * unacknowledged batches with the same writer and sequence on a new stream.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: `writer_id`, `sequence` or the number of `responses`
     *   breaks its rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   SubmitResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: a request is larger
     *   than the server accepts (4 MiB by default).
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `submit` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow, fewer replicas than required confirmed the batch, or an earlier
     *   batch of the same writer on this stream failed.
     * - UNAVAILABLE [ERROR_REASON_RESPONDENT_CONFLICT] with google.rpc.RetryInfo:
     *   other writers kept replacing answers of the same respondents through
     *   every attempt the server makes; re-send after the retry delay.
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   re-send to another instance.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the stream ended.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * SubmitResponseBatch takes the same request and answers the same
     * acknowledgement, one batch per call.
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesRequest> submitResponses(
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getSubmitResponsesMethod(), responseObserver);
    }

    /**
     * <pre>
     * SubmitResponseBatch submits one batch in a unary call, for clients that
     * cannot open a bidirectional stream: browsers through gRPC-Web, HTTP/1.1
     * clients, an in-app survey widget. It takes the request SubmitResponses
     * takes and answers the acknowledgement SubmitResponses would, with the
     * same rules: exactly-once per (writer, product, sequence) when `writer_id`
     * is set, so a call retried after any failure is never counted twice, and
     * rejections reported one by one while the rest of the batch counts. A
     * writer's calls may reach any connection or server instance. Since a
     * product counts nothing of a sequence at or below the last one applied for
     * its writer (SubmitResponsesRequest.sequence), a writer sends its next
     * sequence only after the previous call answered; concurrent senders (each
     * open page of a survey widget, say) use writer ids of their own.
     * Errors: those of SubmitResponses, except that an earlier batch of the same
     * writer never fails this one (each call stands alone).
     * buf:lint:ignore RPC_REQUEST_STANDARD_NAME
     * buf:lint:ignore RPC_RESPONSE_STANDARD_NAME
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public void submitResponseBatch(io.npsgrpc.nps.v1.SubmitResponsesRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSubmitResponseBatchMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetScore returns the score of a product, or of one segment of it, from
     * all the responses counted so far. It costs one store round trip.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id` or
     *   `segment`, `confidence_percent` out of range, misaligned or out-of-range
     *   interval bounds, `end_time` without `start_time`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or the segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: the interval needs
     *   day tallies that have expired (retention); whole months still answer.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the score was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getScore(io.npsgrpc.nps.v1.GetScoreRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetScoreMethod(), responseObserver);
    }

    /**
     * <pre>
     * WatchScore streams the score of a product, or of one segment of it: the
     * current score at once, then a new one whenever it changes, at most one
     * per `min_interval`, the changes in between coalesced into the next. A
     * watcher that reconnects gets the current score at once, so it never
     * misses the latest state. Every server instance learns of every change
     * (from any instance) through the store, without polling it per watcher.
     * The stream ends only when the client cancels it, the server shuts down,
     * or the store fails.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `window_days`,
     *   `confidence_percent` or `min_interval` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   WatchScoreRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; watch again with backoff.
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   watch again on another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void watchScore(io.npsgrpc.nps.v1.WatchScoreRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.WatchScoreResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchScoreMethod(), responseObserver);
    }

    /**
     * <pre>
     * CompareScores tells whether two scores differ by more than chance: for
     * example EU against US, or one product against another. It returns both
     * scores, their difference and a two-sided adjusted Wald test of it: each
     * scope gets the 3 pseudo-responses of its confidence interval (Rocks 2016),
     * as Agresti and Caffo (2000) adjust two proportions, which holds the
     * confidence level for small samples where the plain Wald z-test does not.
     * With fewer than 30 responses in either scope (`low_sample`) it gives no
     * verdict: COMPARISON_VERDICT_INSUFFICIENT_DATA.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a scope is missing or malformed, or
     *   `confidence_percent` is out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   CompareScoresRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: a scope's product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_NO_RESPONSES_IN_INTERVAL]: a scope has
     *   no responses in its interval.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a scope's interval
     *   needs day tallies that have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the scores were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void compareScores(io.npsgrpc.nps.v1.CompareScoresRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.CompareScoresResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCompareScoresMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetScoreTrend returns one score per day, ISO week or month of an
     * interval, each over its own period or over a rolling window of days
     * ending with it (e.g. a 30-day rolling NPS per day). The cost grows with
     * the number of periods, never with the number of responses.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (no `start_time`, no or an
     *   unknown `granularity`, bounds misaligned for the granularity, more than
     *   1000 points, `rolling_window_days` or `confidence_percent` out of range,
     *   a bad `product_id` or `segment`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreTrendRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a window needs
     *   days whose day-level tallies have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the trend was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getScoreTrend(io.npsgrpc.nps.v1.GetScoreTrendRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreTrendResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetScoreTrendMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListSegments lists the segment labels a product has seen, each with its
     * all-time score, sorted and paginated (AIP-158).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id`, an
     *   unknown `order_by`, a negative `page_size`, `confidence_percent` out of
     *   range, or a `page_token` this service did not issue or issued for
     *   another `product_id` or `order_by`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListSegmentsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the labels were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void listSegments(io.npsgrpc.nps.v1.ListSegmentsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListSegmentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSegmentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListResponses lists the response records of a product, newest first (by
     * `answered_at`, ties by record id): every counted response that carried a
     * comment or whose category is a follow-up category (server configuration;
     * detractors by default), with who answered, what they wrote and what the
     * follow-up teams did about it. "This month's detractors in the EU and what
     * they said" is one call.
     * Pages are keyset-paginated (AIP-158): paging through records while new
     * ones arrive never skips or repeats a record that existed when paging
     * began; a record answered after the page it would belong to was read
     * (a late `answered_at`) appears on a later page or not at all. Records are
     * kept for the configured retention (by `answered_at`) and up to a cap
     * per product, then trimmed oldest first.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `end_time` not after
     *   `start_time`, a negative `page_size`, or a `page_token` that is not one
     *   this server issued for the same filter.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope (records hold personal data).
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the page was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void listResponses(io.npsgrpc.nps.v1.ListResponsesRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListResponsesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListResponsesMethod(), responseObserver);
    }

    /**
     * <pre>
     * StreamFollowUps hands new response records to a follow-up team: the
     * `group`, whose workers each call it with their own `consumer` name. It
     * is a lease queue, as Pub/Sub's streaming pull: every record recorded
     * since the group was created (or since the time it names) that matches
     * the group's filter goes to one worker of the group at a time, as a
     * delivery with an ack id and an attempt number. The worker acknowledges it
     * with AcknowledgeFollowUps when done; a delivery not acknowledged within
     * the group's visibility timeout goes to another worker (or again to the
     * same one), with the next attempt number. A worker that reconnects gets
     * its own unacknowledged deliveries first. The group misses nothing while
     * no worker is connected.
     * The first call that names a (group, product) creates the group on that
     * product with the call's filter and visibility timeout; later calls must
     * repeat them. The stream stays open until the client cancels it or the
     * server shuts down; it sends a response only when it has deliveries.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group`, `consumer` or `product_ids`, or
     *   `visibility_timeout` or `max_outstanding` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   StreamFollowUpsRequest.
     * - FAILED_PRECONDITION [ERROR_REASON_FOLLOW_UP_GROUP_MISMATCH]: the group
     *   exists on a product with another filter or visibility timeout.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   reconnect with backoff (leases held stay with this consumer until they
     *   expire).
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   reconnect to another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void streamFollowUps(io.npsgrpc.nps.v1.StreamFollowUpsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.StreamFollowUpsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStreamFollowUpsMethod(), responseObserver);
    }

    /**
     * <pre>
     * AcknowledgeFollowUps marks deliveries done, each with an outcome and an
     * optional note kept with the record (ListResponses shows them). It is
     * idempotent: acknowledging a delivery again answers the same and changes
     * nothing. The answer lists only the exceptions: ack ids the server does
     * not know and leases that expired and went to another worker (that
     * worker's acknowledgement is the one kept).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: no acknowledgements or more than 1000, an `ack_id`
     *   that is not one this server issues, a missing `outcome`, or a `note`
     *   that breaks the comment rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not an
     *   AcknowledgeFollowUpsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: acknowledging is idempotent.
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void acknowledgeFollowUps(io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAcknowledgeFollowUpsMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetFollowUpBacklog tells a team lead where a follow-up group stands on
     * each product: how many records wait for a worker, how many are in
     * progress, how many are done, the age of the oldest waiting one, and the
     * median time from answer to done over an interval.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group` or `product_ids`, or `end_time` not
     *   after `start_time`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetFollowUpBacklogRequest.
     * - NOT_FOUND [ERROR_REASON_FOLLOW_UP_GROUP_NOT_FOUND]: the group was never
     *   created on one of the products.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the backlog was
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getFollowUpBacklog(io.npsgrpc.nps.v1.GetFollowUpBacklogRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetFollowUpBacklogMethod(), responseObserver);
    }

    /**
     * <pre>
     * DeleteRespondentRecords erases every response record of one respondent
     * on the products it names (the right to erasure): the records, their
     * comments and follow-up notes, and their deliveries in every follow-up
     * group. The anonymous tallies (scores, term counts) stay as they are. It
     * is idempotent: erasing again erases nothing more.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `respondent_id` or `product_ids`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   DeleteRespondentRecordsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `erase` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: erasing is idempotent, and products erased before the failure
     *   stay erased (each product is erased all or nothing).
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void deleteRespondentRecords(io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteRespondentRecordsMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetKeyTerms tells which words distinguish detractors' comments from
     * promoters' on a product over whole UTC months: the terms whose weighted
     * log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
     * Quinn, "Fightin' Words", Political Analysis 2008) is furthest from 0.
     * For a term w, with y_D(w) and y_P(w) its counts in detractors' and
     * promoters' comments, n_D and n_P the counts of all terms in each, and
     * the prior a(w) = y(w) and a0 = n, its count and the count of all terms in
     * the product's comments of every category over the interval:
     *   delta(w) = ln((y_D + a) / (n_D + a0 - y_D - a))
     *            - ln((y_P + a) / (n_P + a0 - y_P - a))
     *   variance(w) = 1 / (y_D + a) + 1 / (y_P + a)
     *   z(w) = delta(w) / sqrt(variance(w))
     * A positive z leans to detractors, a negative one to promoters. Terms are
     * the words of comments as the comment's language reads them (Unicode
     * word breaking, lower case, stop words removed, light stemming: English
     * and French; other languages are read language-neutrally), shown in the
     * surface form most often written for the stem.
     * Term counts are kept per UTC month for the configured term retention
     * after the month ends (by default as long as response records: 400
     * days); the words of a comment answered in a month already past it are
     * not counted. Months past the retention count nothing: an interval
     * reaching back further answers from its retained months alone, and one
     * wholly past it answers no terms and comment counts of 0.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id`, interval bounds that are not the
     *   first of a month at 00:00:00 UTC, `end_time` not after `start_time`, an
     *   interval over 36 months, `min_z` or `min_count` or `max_terms` out of
     *   range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetKeyTermsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the terms were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getKeyTerms(io.npsgrpc.nps.v1.GetKeyTermsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetKeyTermsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetKeyTermsMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getSubmitResponsesMethod(),
            io.grpc.stub.ServerCalls.asyncBidiStreamingCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.SubmitResponsesRequest,
                io.npsgrpc.nps.v1.SubmitResponsesResponse>(
                  this, METHODID_SUBMIT_RESPONSES)))
          .addMethod(
            getSubmitResponseBatchMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.SubmitResponsesRequest,
                io.npsgrpc.nps.v1.SubmitResponsesResponse>(
                  this, METHODID_SUBMIT_RESPONSE_BATCH)))
          .addMethod(
            getGetScoreMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.GetScoreRequest,
                io.npsgrpc.nps.v1.GetScoreResponse>(
                  this, METHODID_GET_SCORE)))
          .addMethod(
            getWatchScoreMethod(),
            io.grpc.stub.ServerCalls.asyncServerStreamingCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.WatchScoreRequest,
                io.npsgrpc.nps.v1.WatchScoreResponse>(
                  this, METHODID_WATCH_SCORE)))
          .addMethod(
            getCompareScoresMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.CompareScoresRequest,
                io.npsgrpc.nps.v1.CompareScoresResponse>(
                  this, METHODID_COMPARE_SCORES)))
          .addMethod(
            getGetScoreTrendMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.GetScoreTrendRequest,
                io.npsgrpc.nps.v1.GetScoreTrendResponse>(
                  this, METHODID_GET_SCORE_TREND)))
          .addMethod(
            getListSegmentsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.ListSegmentsRequest,
                io.npsgrpc.nps.v1.ListSegmentsResponse>(
                  this, METHODID_LIST_SEGMENTS)))
          .addMethod(
            getListResponsesMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.ListResponsesRequest,
                io.npsgrpc.nps.v1.ListResponsesResponse>(
                  this, METHODID_LIST_RESPONSES)))
          .addMethod(
            getStreamFollowUpsMethod(),
            io.grpc.stub.ServerCalls.asyncServerStreamingCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.StreamFollowUpsRequest,
                io.npsgrpc.nps.v1.StreamFollowUpsResponse>(
                  this, METHODID_STREAM_FOLLOW_UPS)))
          .addMethod(
            getAcknowledgeFollowUpsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest,
                io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse>(
                  this, METHODID_ACKNOWLEDGE_FOLLOW_UPS)))
          .addMethod(
            getGetFollowUpBacklogMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.GetFollowUpBacklogRequest,
                io.npsgrpc.nps.v1.GetFollowUpBacklogResponse>(
                  this, METHODID_GET_FOLLOW_UP_BACKLOG)))
          .addMethod(
            getDeleteRespondentRecordsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest,
                io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse>(
                  this, METHODID_DELETE_RESPONDENT_RECORDS)))
          .addMethod(
            getGetKeyTermsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                io.npsgrpc.nps.v1.GetKeyTermsRequest,
                io.npsgrpc.nps.v1.GetKeyTermsResponse>(
                  this, METHODID_GET_KEY_TERMS)))
          .build();
    }
  }

  /**
   * <pre>
   * NpsService ingests answers to the question "how likely are you to recommend
   * us, 0 to 10?" and serves Net Promoter Scores per product and per segment.
   * Scores are read from pre-aggregated counters, so reading a score costs the
   * same however many responses were submitted.
   * Each RPC lists every status it ends with. Every error the server raises
   * itself carries a google.rpc.ErrorInfo with domain "nps.v1" and the reason
   * named in brackets (an ErrorReason name): branch on the reason, never on the
   * message. DEADLINE_EXCEEDED comes from the gRPC runtime, without ErrorInfo. A
   * call the client cancels ends with CANCELLED on the client's side; the
   * server sends nothing more.
   * </pre>
   */
  public static final class NpsServiceStub extends io.grpc.stub.AbstractAsyncStub<NpsServiceStub> {
    private NpsServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NpsServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NpsServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * SubmitResponses streams batches of survey responses in and answers each
     * request, in order, with exactly one SubmitResponsesResponse.
     * Delivery is exactly-once when the client sets `writer_id` and numbers its
     * batches with increasing `sequence` values: a batch re-sent with the same
     * writer and sequence (after a timeout, a dropped stream or a server
     * restart, to any server instance) is acknowledged as a duplicate and never
     * counted twice. The exactly-once key is (writer, product, sequence), kept
     * until the writer's idle expiry (see `SubmitResponsesRequest.sequence`):
     * a re-send of a batch that failed part way is not a duplicate; it counts
     * the products that were missing and answers RESPONSE_OUTCOME_ALREADY_APPLIED
     * for the responses of the others. Without `writer_id`, delivery is
     * at-least-once: a batch re-sent after a lost acknowledgement may be
     * counted twice.
     * Invalid responses are rejected one by one in the acknowledgement while the
     * rest of the batch counts. A request that is malformed as a whole ends the
     * stream with an error and nothing of that request is counted; the batches
     * acknowledged before it stay counted. After UNAVAILABLE, re-send the
     * unacknowledged batches with the same writer and sequence on a new stream.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: `writer_id`, `sequence` or the number of `responses`
     *   breaks its rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   SubmitResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: a request is larger
     *   than the server accepts (4 MiB by default).
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `submit` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow, fewer replicas than required confirmed the batch, or an earlier
     *   batch of the same writer on this stream failed.
     * - UNAVAILABLE [ERROR_REASON_RESPONDENT_CONFLICT] with google.rpc.RetryInfo:
     *   other writers kept replacing answers of the same respondents through
     *   every attempt the server makes; re-send after the retry delay.
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   re-send to another instance.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the stream ended.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * SubmitResponseBatch takes the same request and answers the same
     * acknowledgement, one batch per call.
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesRequest> submitResponses(
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
          getChannel().newCall(getSubmitResponsesMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * SubmitResponseBatch submits one batch in a unary call, for clients that
     * cannot open a bidirectional stream: browsers through gRPC-Web, HTTP/1.1
     * clients, an in-app survey widget. It takes the request SubmitResponses
     * takes and answers the acknowledgement SubmitResponses would, with the
     * same rules: exactly-once per (writer, product, sequence) when `writer_id`
     * is set, so a call retried after any failure is never counted twice, and
     * rejections reported one by one while the rest of the batch counts. A
     * writer's calls may reach any connection or server instance. Since a
     * product counts nothing of a sequence at or below the last one applied for
     * its writer (SubmitResponsesRequest.sequence), a writer sends its next
     * sequence only after the previous call answered; concurrent senders (each
     * open page of a survey widget, say) use writer ids of their own.
     * Errors: those of SubmitResponses, except that an earlier batch of the same
     * writer never fails this one (each call stands alone).
     * buf:lint:ignore RPC_REQUEST_STANDARD_NAME
     * buf:lint:ignore RPC_RESPONSE_STANDARD_NAME
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public void submitResponseBatch(io.npsgrpc.nps.v1.SubmitResponsesRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSubmitResponseBatchMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetScore returns the score of a product, or of one segment of it, from
     * all the responses counted so far. It costs one store round trip.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id` or
     *   `segment`, `confidence_percent` out of range, misaligned or out-of-range
     *   interval bounds, `end_time` without `start_time`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or the segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: the interval needs
     *   day tallies that have expired (retention); whole months still answer.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the score was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getScore(io.npsgrpc.nps.v1.GetScoreRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetScoreMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * WatchScore streams the score of a product, or of one segment of it: the
     * current score at once, then a new one whenever it changes, at most one
     * per `min_interval`, the changes in between coalesced into the next. A
     * watcher that reconnects gets the current score at once, so it never
     * misses the latest state. Every server instance learns of every change
     * (from any instance) through the store, without polling it per watcher.
     * The stream ends only when the client cancels it, the server shuts down,
     * or the store fails.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `window_days`,
     *   `confidence_percent` or `min_interval` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   WatchScoreRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; watch again with backoff.
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   watch again on another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void watchScore(io.npsgrpc.nps.v1.WatchScoreRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.WatchScoreResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchScoreMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * CompareScores tells whether two scores differ by more than chance: for
     * example EU against US, or one product against another. It returns both
     * scores, their difference and a two-sided adjusted Wald test of it: each
     * scope gets the 3 pseudo-responses of its confidence interval (Rocks 2016),
     * as Agresti and Caffo (2000) adjust two proportions, which holds the
     * confidence level for small samples where the plain Wald z-test does not.
     * With fewer than 30 responses in either scope (`low_sample`) it gives no
     * verdict: COMPARISON_VERDICT_INSUFFICIENT_DATA.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a scope is missing or malformed, or
     *   `confidence_percent` is out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   CompareScoresRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: a scope's product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_NO_RESPONSES_IN_INTERVAL]: a scope has
     *   no responses in its interval.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a scope's interval
     *   needs day tallies that have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the scores were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void compareScores(io.npsgrpc.nps.v1.CompareScoresRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.CompareScoresResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCompareScoresMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetScoreTrend returns one score per day, ISO week or month of an
     * interval, each over its own period or over a rolling window of days
     * ending with it (e.g. a 30-day rolling NPS per day). The cost grows with
     * the number of periods, never with the number of responses.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (no `start_time`, no or an
     *   unknown `granularity`, bounds misaligned for the granularity, more than
     *   1000 points, `rolling_window_days` or `confidence_percent` out of range,
     *   a bad `product_id` or `segment`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreTrendRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a window needs
     *   days whose day-level tallies have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the trend was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getScoreTrend(io.npsgrpc.nps.v1.GetScoreTrendRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreTrendResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetScoreTrendMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListSegments lists the segment labels a product has seen, each with its
     * all-time score, sorted and paginated (AIP-158).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id`, an
     *   unknown `order_by`, a negative `page_size`, `confidence_percent` out of
     *   range, or a `page_token` this service did not issue or issued for
     *   another `product_id` or `order_by`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListSegmentsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the labels were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void listSegments(io.npsgrpc.nps.v1.ListSegmentsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListSegmentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSegmentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListResponses lists the response records of a product, newest first (by
     * `answered_at`, ties by record id): every counted response that carried a
     * comment or whose category is a follow-up category (server configuration;
     * detractors by default), with who answered, what they wrote and what the
     * follow-up teams did about it. "This month's detractors in the EU and what
     * they said" is one call.
     * Pages are keyset-paginated (AIP-158): paging through records while new
     * ones arrive never skips or repeats a record that existed when paging
     * began; a record answered after the page it would belong to was read
     * (a late `answered_at`) appears on a later page or not at all. Records are
     * kept for the configured retention (by `answered_at`) and up to a cap
     * per product, then trimmed oldest first.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `end_time` not after
     *   `start_time`, a negative `page_size`, or a `page_token` that is not one
     *   this server issued for the same filter.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope (records hold personal data).
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the page was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void listResponses(io.npsgrpc.nps.v1.ListResponsesRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListResponsesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListResponsesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * StreamFollowUps hands new response records to a follow-up team: the
     * `group`, whose workers each call it with their own `consumer` name. It
     * is a lease queue, as Pub/Sub's streaming pull: every record recorded
     * since the group was created (or since the time it names) that matches
     * the group's filter goes to one worker of the group at a time, as a
     * delivery with an ack id and an attempt number. The worker acknowledges it
     * with AcknowledgeFollowUps when done; a delivery not acknowledged within
     * the group's visibility timeout goes to another worker (or again to the
     * same one), with the next attempt number. A worker that reconnects gets
     * its own unacknowledged deliveries first. The group misses nothing while
     * no worker is connected.
     * The first call that names a (group, product) creates the group on that
     * product with the call's filter and visibility timeout; later calls must
     * repeat them. The stream stays open until the client cancels it or the
     * server shuts down; it sends a response only when it has deliveries.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group`, `consumer` or `product_ids`, or
     *   `visibility_timeout` or `max_outstanding` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   StreamFollowUpsRequest.
     * - FAILED_PRECONDITION [ERROR_REASON_FOLLOW_UP_GROUP_MISMATCH]: the group
     *   exists on a product with another filter or visibility timeout.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   reconnect with backoff (leases held stay with this consumer until they
     *   expire).
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   reconnect to another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void streamFollowUps(io.npsgrpc.nps.v1.StreamFollowUpsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.StreamFollowUpsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getStreamFollowUpsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * AcknowledgeFollowUps marks deliveries done, each with an outcome and an
     * optional note kept with the record (ListResponses shows them). It is
     * idempotent: acknowledging a delivery again answers the same and changes
     * nothing. The answer lists only the exceptions: ack ids the server does
     * not know and leases that expired and went to another worker (that
     * worker's acknowledgement is the one kept).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: no acknowledgements or more than 1000, an `ack_id`
     *   that is not one this server issues, a missing `outcome`, or a `note`
     *   that breaks the comment rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not an
     *   AcknowledgeFollowUpsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: acknowledging is idempotent.
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void acknowledgeFollowUps(io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAcknowledgeFollowUpsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetFollowUpBacklog tells a team lead where a follow-up group stands on
     * each product: how many records wait for a worker, how many are in
     * progress, how many are done, the age of the oldest waiting one, and the
     * median time from answer to done over an interval.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group` or `product_ids`, or `end_time` not
     *   after `start_time`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetFollowUpBacklogRequest.
     * - NOT_FOUND [ERROR_REASON_FOLLOW_UP_GROUP_NOT_FOUND]: the group was never
     *   created on one of the products.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the backlog was
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getFollowUpBacklog(io.npsgrpc.nps.v1.GetFollowUpBacklogRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetFollowUpBacklogMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * DeleteRespondentRecords erases every response record of one respondent
     * on the products it names (the right to erasure): the records, their
     * comments and follow-up notes, and their deliveries in every follow-up
     * group. The anonymous tallies (scores, term counts) stay as they are. It
     * is idempotent: erasing again erases nothing more.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `respondent_id` or `product_ids`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   DeleteRespondentRecordsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `erase` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: erasing is idempotent, and products erased before the failure
     *   stay erased (each product is erased all or nothing).
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void deleteRespondentRecords(io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteRespondentRecordsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetKeyTerms tells which words distinguish detractors' comments from
     * promoters' on a product over whole UTC months: the terms whose weighted
     * log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
     * Quinn, "Fightin' Words", Political Analysis 2008) is furthest from 0.
     * For a term w, with y_D(w) and y_P(w) its counts in detractors' and
     * promoters' comments, n_D and n_P the counts of all terms in each, and
     * the prior a(w) = y(w) and a0 = n, its count and the count of all terms in
     * the product's comments of every category over the interval:
     *   delta(w) = ln((y_D + a) / (n_D + a0 - y_D - a))
     *            - ln((y_P + a) / (n_P + a0 - y_P - a))
     *   variance(w) = 1 / (y_D + a) + 1 / (y_P + a)
     *   z(w) = delta(w) / sqrt(variance(w))
     * A positive z leans to detractors, a negative one to promoters. Terms are
     * the words of comments as the comment's language reads them (Unicode
     * word breaking, lower case, stop words removed, light stemming: English
     * and French; other languages are read language-neutrally), shown in the
     * surface form most often written for the stem.
     * Term counts are kept per UTC month for the configured term retention
     * after the month ends (by default as long as response records: 400
     * days); the words of a comment answered in a month already past it are
     * not counted. Months past the retention count nothing: an interval
     * reaching back further answers from its retained months alone, and one
     * wholly past it answers no terms and comment counts of 0.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id`, interval bounds that are not the
     *   first of a month at 00:00:00 UTC, `end_time` not after `start_time`, an
     *   interval over 36 months, `min_z` or `min_count` or `max_terms` out of
     *   range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetKeyTermsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the terms were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public void getKeyTerms(io.npsgrpc.nps.v1.GetKeyTermsRequest request,
        io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetKeyTermsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetKeyTermsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * NpsService ingests answers to the question "how likely are you to recommend
   * us, 0 to 10?" and serves Net Promoter Scores per product and per segment.
   * Scores are read from pre-aggregated counters, so reading a score costs the
   * same however many responses were submitted.
   * Each RPC lists every status it ends with. Every error the server raises
   * itself carries a google.rpc.ErrorInfo with domain "nps.v1" and the reason
   * named in brackets (an ErrorReason name): branch on the reason, never on the
   * message. DEADLINE_EXCEEDED comes from the gRPC runtime, without ErrorInfo. A
   * call the client cancels ends with CANCELLED on the client's side; the
   * server sends nothing more.
   * </pre>
   */
  public static final class NpsServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<NpsServiceBlockingStub> {
    private NpsServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NpsServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NpsServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * SubmitResponseBatch submits one batch in a unary call, for clients that
     * cannot open a bidirectional stream: browsers through gRPC-Web, HTTP/1.1
     * clients, an in-app survey widget. It takes the request SubmitResponses
     * takes and answers the acknowledgement SubmitResponses would, with the
     * same rules: exactly-once per (writer, product, sequence) when `writer_id`
     * is set, so a call retried after any failure is never counted twice, and
     * rejections reported one by one while the rest of the batch counts. A
     * writer's calls may reach any connection or server instance. Since a
     * product counts nothing of a sequence at or below the last one applied for
     * its writer (SubmitResponsesRequest.sequence), a writer sends its next
     * sequence only after the previous call answered; concurrent senders (each
     * open page of a survey widget, say) use writer ids of their own.
     * Errors: those of SubmitResponses, except that an earlier batch of the same
     * writer never fails this one (each call stands alone).
     * buf:lint:ignore RPC_REQUEST_STANDARD_NAME
     * buf:lint:ignore RPC_RESPONSE_STANDARD_NAME
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public io.npsgrpc.nps.v1.SubmitResponsesResponse submitResponseBatch(io.npsgrpc.nps.v1.SubmitResponsesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSubmitResponseBatchMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetScore returns the score of a product, or of one segment of it, from
     * all the responses counted so far. It costs one store round trip.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id` or
     *   `segment`, `confidence_percent` out of range, misaligned or out-of-range
     *   interval bounds, `end_time` without `start_time`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or the segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: the interval needs
     *   day tallies that have expired (retention); whole months still answer.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the score was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.GetScoreResponse getScore(io.npsgrpc.nps.v1.GetScoreRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetScoreMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * WatchScore streams the score of a product, or of one segment of it: the
     * current score at once, then a new one whenever it changes, at most one
     * per `min_interval`, the changes in between coalesced into the next. A
     * watcher that reconnects gets the current score at once, so it never
     * misses the latest state. Every server instance learns of every change
     * (from any instance) through the store, without polling it per watcher.
     * The stream ends only when the client cancels it, the server shuts down,
     * or the store fails.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `window_days`,
     *   `confidence_percent` or `min_interval` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   WatchScoreRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; watch again with backoff.
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   watch again on another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public java.util.Iterator<io.npsgrpc.nps.v1.WatchScoreResponse> watchScore(
        io.npsgrpc.nps.v1.WatchScoreRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchScoreMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * CompareScores tells whether two scores differ by more than chance: for
     * example EU against US, or one product against another. It returns both
     * scores, their difference and a two-sided adjusted Wald test of it: each
     * scope gets the 3 pseudo-responses of its confidence interval (Rocks 2016),
     * as Agresti and Caffo (2000) adjust two proportions, which holds the
     * confidence level for small samples where the plain Wald z-test does not.
     * With fewer than 30 responses in either scope (`low_sample`) it gives no
     * verdict: COMPARISON_VERDICT_INSUFFICIENT_DATA.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a scope is missing or malformed, or
     *   `confidence_percent` is out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   CompareScoresRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: a scope's product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_NO_RESPONSES_IN_INTERVAL]: a scope has
     *   no responses in its interval.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a scope's interval
     *   needs day tallies that have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the scores were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.CompareScoresResponse compareScores(io.npsgrpc.nps.v1.CompareScoresRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCompareScoresMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetScoreTrend returns one score per day, ISO week or month of an
     * interval, each over its own period or over a rolling window of days
     * ending with it (e.g. a 30-day rolling NPS per day). The cost grows with
     * the number of periods, never with the number of responses.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (no `start_time`, no or an
     *   unknown `granularity`, bounds misaligned for the granularity, more than
     *   1000 points, `rolling_window_days` or `confidence_percent` out of range,
     *   a bad `product_id` or `segment`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreTrendRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a window needs
     *   days whose day-level tallies have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the trend was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.GetScoreTrendResponse getScoreTrend(io.npsgrpc.nps.v1.GetScoreTrendRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetScoreTrendMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListSegments lists the segment labels a product has seen, each with its
     * all-time score, sorted and paginated (AIP-158).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id`, an
     *   unknown `order_by`, a negative `page_size`, `confidence_percent` out of
     *   range, or a `page_token` this service did not issue or issued for
     *   another `product_id` or `order_by`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListSegmentsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the labels were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.ListSegmentsResponse listSegments(io.npsgrpc.nps.v1.ListSegmentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSegmentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListResponses lists the response records of a product, newest first (by
     * `answered_at`, ties by record id): every counted response that carried a
     * comment or whose category is a follow-up category (server configuration;
     * detractors by default), with who answered, what they wrote and what the
     * follow-up teams did about it. "This month's detractors in the EU and what
     * they said" is one call.
     * Pages are keyset-paginated (AIP-158): paging through records while new
     * ones arrive never skips or repeats a record that existed when paging
     * began; a record answered after the page it would belong to was read
     * (a late `answered_at`) appears on a later page or not at all. Records are
     * kept for the configured retention (by `answered_at`) and up to a cap
     * per product, then trimmed oldest first.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `end_time` not after
     *   `start_time`, a negative `page_size`, or a `page_token` that is not one
     *   this server issued for the same filter.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope (records hold personal data).
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the page was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.ListResponsesResponse listResponses(io.npsgrpc.nps.v1.ListResponsesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListResponsesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * StreamFollowUps hands new response records to a follow-up team: the
     * `group`, whose workers each call it with their own `consumer` name. It
     * is a lease queue, as Pub/Sub's streaming pull: every record recorded
     * since the group was created (or since the time it names) that matches
     * the group's filter goes to one worker of the group at a time, as a
     * delivery with an ack id and an attempt number. The worker acknowledges it
     * with AcknowledgeFollowUps when done; a delivery not acknowledged within
     * the group's visibility timeout goes to another worker (or again to the
     * same one), with the next attempt number. A worker that reconnects gets
     * its own unacknowledged deliveries first. The group misses nothing while
     * no worker is connected.
     * The first call that names a (group, product) creates the group on that
     * product with the call's filter and visibility timeout; later calls must
     * repeat them. The stream stays open until the client cancels it or the
     * server shuts down; it sends a response only when it has deliveries.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group`, `consumer` or `product_ids`, or
     *   `visibility_timeout` or `max_outstanding` out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   StreamFollowUpsRequest.
     * - FAILED_PRECONDITION [ERROR_REASON_FOLLOW_UP_GROUP_MISMATCH]: the group
     *   exists on a product with another filter or visibility timeout.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   reconnect with backoff (leases held stay with this consumer until they
     *   expire).
     * - UNAVAILABLE [ERROR_REASON_SHUTTING_DOWN]: the server is shutting down;
     *   reconnect to another instance.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public java.util.Iterator<io.npsgrpc.nps.v1.StreamFollowUpsResponse> streamFollowUps(
        io.npsgrpc.nps.v1.StreamFollowUpsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getStreamFollowUpsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * AcknowledgeFollowUps marks deliveries done, each with an outcome and an
     * optional note kept with the record (ListResponses shows them). It is
     * idempotent: acknowledging a delivery again answers the same and changes
     * nothing. The answer lists only the exceptions: ack ids the server does
     * not know and leases that expired and went to another worker (that
     * worker's acknowledgement is the one kept).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: no acknowledgements or more than 1000, an `ack_id`
     *   that is not one this server issues, a missing `outcome`, or a `note`
     *   that breaks the comment rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not an
     *   AcknowledgeFollowUpsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: acknowledging is idempotent.
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse acknowledgeFollowUps(io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAcknowledgeFollowUpsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetFollowUpBacklog tells a team lead where a follow-up group stands on
     * each product: how many records wait for a worker, how many are in
     * progress, how many are done, the age of the oldest waiting one, and the
     * median time from answer to done over an interval.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group` or `product_ids`, or `end_time` not
     *   after `start_time`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetFollowUpBacklogRequest.
     * - NOT_FOUND [ERROR_REASON_FOLLOW_UP_GROUP_NOT_FOUND]: the group was never
     *   created on one of the products.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the backlog was
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.GetFollowUpBacklogResponse getFollowUpBacklog(io.npsgrpc.nps.v1.GetFollowUpBacklogRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetFollowUpBacklogMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteRespondentRecords erases every response record of one respondent
     * on the products it names (the right to erasure): the records, their
     * comments and follow-up notes, and their deliveries in every follow-up
     * group. The anonymous tallies (scores, term counts) stay as they are. It
     * is idempotent: erasing again erases nothing more.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `respondent_id` or `product_ids`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   DeleteRespondentRecordsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `erase` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: erasing is idempotent, and products erased before the failure
     *   stay erased (each product is erased all or nothing).
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse deleteRespondentRecords(io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteRespondentRecordsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetKeyTerms tells which words distinguish detractors' comments from
     * promoters' on a product over whole UTC months: the terms whose weighted
     * log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
     * Quinn, "Fightin' Words", Political Analysis 2008) is furthest from 0.
     * For a term w, with y_D(w) and y_P(w) its counts in detractors' and
     * promoters' comments, n_D and n_P the counts of all terms in each, and
     * the prior a(w) = y(w) and a0 = n, its count and the count of all terms in
     * the product's comments of every category over the interval:
     *   delta(w) = ln((y_D + a) / (n_D + a0 - y_D - a))
     *            - ln((y_P + a) / (n_P + a0 - y_P - a))
     *   variance(w) = 1 / (y_D + a) + 1 / (y_P + a)
     *   z(w) = delta(w) / sqrt(variance(w))
     * A positive z leans to detractors, a negative one to promoters. Terms are
     * the words of comments as the comment's language reads them (Unicode
     * word breaking, lower case, stop words removed, light stemming: English
     * and French; other languages are read language-neutrally), shown in the
     * surface form most often written for the stem.
     * Term counts are kept per UTC month for the configured term retention
     * after the month ends (by default as long as response records: 400
     * days); the words of a comment answered in a month already past it are
     * not counted. Months past the retention count nothing: an interval
     * reaching back further answers from its retained months alone, and one
     * wholly past it answers no terms and comment counts of 0.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id`, interval bounds that are not the
     *   first of a month at 00:00:00 UTC, `end_time` not after `start_time`, an
     *   interval over 36 months, `min_z` or `min_count` or `max_terms` out of
     *   range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetKeyTermsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the terms were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public io.npsgrpc.nps.v1.GetKeyTermsResponse getKeyTerms(io.npsgrpc.nps.v1.GetKeyTermsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetKeyTermsMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * NpsService ingests answers to the question "how likely are you to recommend
   * us, 0 to 10?" and serves Net Promoter Scores per product and per segment.
   * Scores are read from pre-aggregated counters, so reading a score costs the
   * same however many responses were submitted.
   * Each RPC lists every status it ends with. Every error the server raises
   * itself carries a google.rpc.ErrorInfo with domain "nps.v1" and the reason
   * named in brackets (an ErrorReason name): branch on the reason, never on the
   * message. DEADLINE_EXCEEDED comes from the gRPC runtime, without ErrorInfo. A
   * call the client cancels ends with CANCELLED on the client's side; the
   * server sends nothing more.
   * </pre>
   */
  public static final class NpsServiceFutureStub extends io.grpc.stub.AbstractFutureStub<NpsServiceFutureStub> {
    private NpsServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NpsServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NpsServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * SubmitResponseBatch submits one batch in a unary call, for clients that
     * cannot open a bidirectional stream: browsers through gRPC-Web, HTTP/1.1
     * clients, an in-app survey widget. It takes the request SubmitResponses
     * takes and answers the acknowledgement SubmitResponses would, with the
     * same rules: exactly-once per (writer, product, sequence) when `writer_id`
     * is set, so a call retried after any failure is never counted twice, and
     * rejections reported one by one while the rest of the batch counts. A
     * writer's calls may reach any connection or server instance. Since a
     * product counts nothing of a sequence at or below the last one applied for
     * its writer (SubmitResponsesRequest.sequence), a writer sends its next
     * sequence only after the previous call answered; concurrent senders (each
     * open page of a survey widget, say) use writer ids of their own.
     * Errors: those of SubmitResponses, except that an earlier batch of the same
     * writer never fails this one (each call stands alone).
     * buf:lint:ignore RPC_REQUEST_STANDARD_NAME
     * buf:lint:ignore RPC_RESPONSE_STANDARD_NAME
     * buf:lint:ignore RPC_REQUEST_RESPONSE_UNIQUE
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.SubmitResponsesResponse> submitResponseBatch(
        io.npsgrpc.nps.v1.SubmitResponsesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSubmitResponseBatchMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetScore returns the score of a product, or of one segment of it, from
     * all the responses counted so far. It costs one store round trip.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id` or
     *   `segment`, `confidence_percent` out of range, misaligned or out-of-range
     *   interval bounds, `end_time` without `start_time`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or the segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: the interval needs
     *   day tallies that have expired (retention); whole months still answer.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the score was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.GetScoreResponse> getScore(
        io.npsgrpc.nps.v1.GetScoreRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetScoreMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * CompareScores tells whether two scores differ by more than chance: for
     * example EU against US, or one product against another. It returns both
     * scores, their difference and a two-sided adjusted Wald test of it: each
     * scope gets the 3 pseudo-responses of its confidence interval (Rocks 2016),
     * as Agresti and Caffo (2000) adjust two proportions, which holds the
     * confidence level for small samples where the plain Wald z-test does not.
     * With fewer than 30 responses in either scope (`low_sample`) it gives no
     * verdict: COMPARISON_VERDICT_INSUFFICIENT_DATA.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a scope is missing or malformed, or
     *   `confidence_percent` is out of range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   CompareScoresRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: a scope's product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_NO_RESPONSES_IN_INTERVAL]: a scope has
     *   no responses in its interval.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a scope's interval
     *   needs day tallies that have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the scores were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.CompareScoresResponse> compareScores(
        io.npsgrpc.nps.v1.CompareScoresRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCompareScoresMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetScoreTrend returns one score per day, ISO week or month of an
     * interval, each over its own period or over a rolling window of days
     * ending with it (e.g. a 30-day rolling NPS per day). The cost grows with
     * the number of periods, never with the number of responses.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (no `start_time`, no or an
     *   unknown `granularity`, bounds misaligned for the granularity, more than
     *   1000 points, `rolling_window_days` or `confidence_percent` out of range,
     *   a bad `product_id` or `segment`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetScoreTrendRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND or
     *   ERROR_REASON_SEGMENT_NOT_FOUND]: the product (or segment) has never
     *   received a valid response.
     * - FAILED_PRECONDITION [ERROR_REASON_DAY_TALLIES_EXPIRED]: a window needs
     *   days whose day-level tallies have expired (retention).
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the trend was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.GetScoreTrendResponse> getScoreTrend(
        io.npsgrpc.nps.v1.GetScoreTrendRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetScoreTrendMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListSegments lists the segment labels a product has seen, each with its
     * all-time score, sorted and paginated (AIP-158).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: the request is malformed (a bad `product_id`, an
     *   unknown `order_by`, a negative `page_size`, `confidence_percent` out of
     *   range, or a `page_token` this service did not issue or issued for
     *   another `product_id` or `order_by`).
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListSegmentsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the labels were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.ListSegmentsResponse> listSegments(
        io.npsgrpc.nps.v1.ListSegmentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSegmentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListResponses lists the response records of a product, newest first (by
     * `answered_at`, ties by record id): every counted response that carried a
     * comment or whose category is a follow-up category (server configuration;
     * detractors by default), with who answered, what they wrote and what the
     * follow-up teams did about it. "This month's detractors in the EU and what
     * they said" is one call.
     * Pages are keyset-paginated (AIP-158): paging through records while new
     * ones arrive never skips or repeats a record that existed when paging
     * began; a record answered after the page it would belong to was read
     * (a late `answered_at`) appears on a later page or not at all. Records are
     * kept for the configured retention (by `answered_at`) and up to a cap
     * per product, then trimmed oldest first.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id` or `segment`, `end_time` not after
     *   `start_time`, a negative `page_size`, or a `page_token` that is not one
     *   this server issued for the same filter.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   ListResponsesRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope (records hold personal data).
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the page was read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.ListResponsesResponse> listResponses(
        io.npsgrpc.nps.v1.ListResponsesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListResponsesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * AcknowledgeFollowUps marks deliveries done, each with an outcome and an
     * optional note kept with the record (ListResponses shows them). It is
     * idempotent: acknowledging a delivery again answers the same and changes
     * nothing. The answer lists only the exceptions: ack ids the server does
     * not know and leases that expired and went to another worker (that
     * worker's acknowledgement is the one kept).
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: no acknowledgements or more than 1000, an `ack_id`
     *   that is not one this server issues, a missing `outcome`, or a `note`
     *   that breaks the comment rules.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not an
     *   AcknowledgeFollowUpsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: acknowledging is idempotent.
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse> acknowledgeFollowUps(
        io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAcknowledgeFollowUpsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetFollowUpBacklog tells a team lead where a follow-up group stands on
     * each product: how many records wait for a worker, how many are in
     * progress, how many are done, the age of the oldest waiting one, and the
     * median time from answer to done over an interval.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `group` or `product_ids`, or `end_time` not
     *   after `start_time`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetFollowUpBacklogRequest.
     * - NOT_FOUND [ERROR_REASON_FOLLOW_UP_GROUP_NOT_FOUND]: the group was never
     *   created on one of the products.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `follow_up` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the backlog was
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.GetFollowUpBacklogResponse> getFollowUpBacklog(
        io.npsgrpc.nps.v1.GetFollowUpBacklogRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetFollowUpBacklogMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * DeleteRespondentRecords erases every response record of one respondent
     * on the products it names (the right to erasure): the records, their
     * comments and follow-up notes, and their deliveries in every follow-up
     * group. The anonymous tallies (scores, term counts) stay as they are. It
     * is idempotent: erasing again erases nothing more.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `respondent_id` or `product_ids`.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   DeleteRespondentRecordsRequest.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `erase` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable;
     *   retry: erasing is idempotent, and products erased before the failure
     *   stay erased (each product is erased all or nothing).
     * - DEADLINE_EXCEEDED: the call's deadline passed first; retry.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse> deleteRespondentRecords(
        io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteRespondentRecordsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetKeyTerms tells which words distinguish detractors' comments from
     * promoters' on a product over whole UTC months: the terms whose weighted
     * log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
     * Quinn, "Fightin' Words", Political Analysis 2008) is furthest from 0.
     * For a term w, with y_D(w) and y_P(w) its counts in detractors' and
     * promoters' comments, n_D and n_P the counts of all terms in each, and
     * the prior a(w) = y(w) and a0 = n, its count and the count of all terms in
     * the product's comments of every category over the interval:
     *   delta(w) = ln((y_D + a) / (n_D + a0 - y_D - a))
     *            - ln((y_P + a) / (n_P + a0 - y_P - a))
     *   variance(w) = 1 / (y_D + a) + 1 / (y_P + a)
     *   z(w) = delta(w) / sqrt(variance(w))
     * A positive z leans to detractors, a negative one to promoters. Terms are
     * the words of comments as the comment's language reads them (Unicode
     * word breaking, lower case, stop words removed, light stemming: English
     * and French; other languages are read language-neutrally), shown in the
     * surface form most often written for the stem.
     * Term counts are kept per UTC month for the configured term retention
     * after the month ends (by default as long as response records: 400
     * days); the words of a comment answered in a month already past it are
     * not counted. Months past the retention count nothing: an interval
     * reaching back further answers from its retained months alone, and one
     * wholly past it answers no terms and comment counts of 0.
     * Errors:
     * - INVALID_ARGUMENT [ERROR_REASON_INVALID_FIELDS] with google.rpc.BadRequest
     *   field violations: a bad `product_id`, interval bounds that are not the
     *   first of a month at 00:00:00 UTC, `end_time` not after `start_time`, an
     *   interval over 36 months, `min_z` or `min_count` or `max_terms` out of
     *   range.
     * - INVALID_ARGUMENT [ERROR_REASON_MALFORMED_MESSAGE]: the bytes are not a
     *   GetKeyTermsRequest.
     * - NOT_FOUND [ERROR_REASON_PRODUCT_NOT_FOUND]: the product has never
     *   received a valid response.
     * - RESOURCE_EXHAUSTED [ERROR_REASON_MESSAGE_TOO_LARGE]: the request is larger
     *   than the server accepts.
     * - UNAUTHENTICATED [ERROR_REASON_API_KEY_MISSING or
     *   ERROR_REASON_API_KEY_INVALID]: API keys are configured and the call
     *   carries none, or one the server does not know.
     * - PERMISSION_DENIED [ERROR_REASON_API_KEY_SCOPE_MISSING]: the key lacks the
     *   `read` scope.
     * - UNAVAILABLE [ERROR_REASON_STORE_UNAVAILABLE]: the store is unreachable or
     *   too slow; retry with backoff.
     * - DEADLINE_EXCEEDED: the call's deadline passed before the terms were
     *   read.
     * - INTERNAL [ERROR_REASON_INTERNAL]: a server fault; see the server log.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.npsgrpc.nps.v1.GetKeyTermsResponse> getKeyTerms(
        io.npsgrpc.nps.v1.GetKeyTermsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetKeyTermsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_SUBMIT_RESPONSE_BATCH = 0;
  private static final int METHODID_GET_SCORE = 1;
  private static final int METHODID_WATCH_SCORE = 2;
  private static final int METHODID_COMPARE_SCORES = 3;
  private static final int METHODID_GET_SCORE_TREND = 4;
  private static final int METHODID_LIST_SEGMENTS = 5;
  private static final int METHODID_LIST_RESPONSES = 6;
  private static final int METHODID_STREAM_FOLLOW_UPS = 7;
  private static final int METHODID_ACKNOWLEDGE_FOLLOW_UPS = 8;
  private static final int METHODID_GET_FOLLOW_UP_BACKLOG = 9;
  private static final int METHODID_DELETE_RESPONDENT_RECORDS = 10;
  private static final int METHODID_GET_KEY_TERMS = 11;
  private static final int METHODID_SUBMIT_RESPONSES = 12;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final NpsServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(NpsServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_SUBMIT_RESPONSE_BATCH:
          serviceImpl.submitResponseBatch((io.npsgrpc.nps.v1.SubmitResponsesRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse>) responseObserver);
          break;
        case METHODID_GET_SCORE:
          serviceImpl.getScore((io.npsgrpc.nps.v1.GetScoreRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreResponse>) responseObserver);
          break;
        case METHODID_WATCH_SCORE:
          serviceImpl.watchScore((io.npsgrpc.nps.v1.WatchScoreRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.WatchScoreResponse>) responseObserver);
          break;
        case METHODID_COMPARE_SCORES:
          serviceImpl.compareScores((io.npsgrpc.nps.v1.CompareScoresRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.CompareScoresResponse>) responseObserver);
          break;
        case METHODID_GET_SCORE_TREND:
          serviceImpl.getScoreTrend((io.npsgrpc.nps.v1.GetScoreTrendRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetScoreTrendResponse>) responseObserver);
          break;
        case METHODID_LIST_SEGMENTS:
          serviceImpl.listSegments((io.npsgrpc.nps.v1.ListSegmentsRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListSegmentsResponse>) responseObserver);
          break;
        case METHODID_LIST_RESPONSES:
          serviceImpl.listResponses((io.npsgrpc.nps.v1.ListResponsesRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.ListResponsesResponse>) responseObserver);
          break;
        case METHODID_STREAM_FOLLOW_UPS:
          serviceImpl.streamFollowUps((io.npsgrpc.nps.v1.StreamFollowUpsRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.StreamFollowUpsResponse>) responseObserver);
          break;
        case METHODID_ACKNOWLEDGE_FOLLOW_UPS:
          serviceImpl.acknowledgeFollowUps((io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse>) responseObserver);
          break;
        case METHODID_GET_FOLLOW_UP_BACKLOG:
          serviceImpl.getFollowUpBacklog((io.npsgrpc.nps.v1.GetFollowUpBacklogRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetFollowUpBacklogResponse>) responseObserver);
          break;
        case METHODID_DELETE_RESPONDENT_RECORDS:
          serviceImpl.deleteRespondentRecords((io.npsgrpc.nps.v1.DeleteRespondentRecordsRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.DeleteRespondentRecordsResponse>) responseObserver);
          break;
        case METHODID_GET_KEY_TERMS:
          serviceImpl.getKeyTerms((io.npsgrpc.nps.v1.GetKeyTermsRequest) request,
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.GetKeyTermsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_SUBMIT_RESPONSES:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.submitResponses(
              (io.grpc.stub.StreamObserver<io.npsgrpc.nps.v1.SubmitResponsesResponse>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  private static abstract class NpsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    NpsServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.npsgrpc.nps.v1.NpsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("NpsService");
    }
  }

  private static final class NpsServiceFileDescriptorSupplier
      extends NpsServiceBaseDescriptorSupplier {
    NpsServiceFileDescriptorSupplier() {}
  }

  private static final class NpsServiceMethodDescriptorSupplier
      extends NpsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    NpsServiceMethodDescriptorSupplier(String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (NpsServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new NpsServiceFileDescriptorSupplier())
              .addMethod(getSubmitResponsesMethod())
              .addMethod(getSubmitResponseBatchMethod())
              .addMethod(getGetScoreMethod())
              .addMethod(getWatchScoreMethod())
              .addMethod(getCompareScoresMethod())
              .addMethod(getGetScoreTrendMethod())
              .addMethod(getListSegmentsMethod())
              .addMethod(getListResponsesMethod())
              .addMethod(getStreamFollowUpsMethod())
              .addMethod(getAcknowledgeFollowUpsMethod())
              .addMethod(getGetFollowUpBacklogMethod())
              .addMethod(getDeleteRespondentRecordsMethod())
              .addMethod(getGetKeyTermsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
