namespace Zakaz.Sources.Http;

/// <summary>
/// Reads each answer whole inside its attempt, so the attempt's time limit and the retries cover the body
/// too (a connection reset halfway is retried like one before the headers); with <c>checkJson</c> a 2xx JSON
/// answer that does not parse (truncated, empty, <c>null</c>) fails as <see cref="MalformedJsonException"/>.
/// </summary>
internal sealed class BufferingHandler(bool checkJson) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            if (checkJson && response.IsSuccessStatusCode && SourceResilience.IsJson(response.Content.Headers.ContentType))
            {
                await CheckJsonAsync(response, cancellationToken);
            }
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task CheckJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            Validate(body.AsSpan().StartsWith("\uFEFF"u8) ? body.AsSpan(3) : body);
        }
        catch (JsonException e)
        {
            throw new MalformedJsonException($"the {(int)response.StatusCode} answer is empty or not valid JSON ({e.Message})", e);
        }
    }

    // A reader's pass checks the syntax without building anything: the client parses the body for real afterwards.
    private static void Validate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("the body is JSON null");
        }
        reader.Skip();
        while (reader.Read())
        {
        }
    }
}

/// <summary>A successful answer whose JSON does not parse; retried once, since a cut-off body is mostly the network's fault.</summary>
public sealed class MalformedJsonException(string message, Exception inner) : Exception(message, inner);
