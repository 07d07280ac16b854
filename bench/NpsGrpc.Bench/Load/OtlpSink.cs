using System.Net;

namespace NpsGrpc.Bench.Load;

/// <summary>
/// Where the telemetry server of scenario 9 exports over OTLP/HTTP: it reads every request whole and answers 200 with
/// an empty body (an empty Export*ServiceResponse), so the exporter does all its work (serialize, send) and
/// nothing is kept. Counts what it got, for the report.
/// </summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private long _requests;
    private long _bytes;

    public OtlpSink(int port)
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _bytes, body.Length);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
