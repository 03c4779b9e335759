using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Zakaz.Storage.RowBinary;
using Zakaz.Storage.Text;

namespace Zakaz.Storage.Http;

/// <summary>A ClickHouse server over HTTP: SQL in the body; database, query id, settings and parameters in the URL.</summary>
public sealed class HttpClickHouseStore : IClickHouseStore
{
    private const int UnknownSetting = 115;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];
    private static readonly string[] ReadOnlyHeads = ["SELECT", "WITH", "SHOW", "DESC", "EXISTS"];

    private readonly HttpClient _http;
    private readonly ClickHouseEndpoint _endpoint;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;

    // Servers before 19.11 have no query parameters; for them values are sent as quoted literals.
    private volatile bool _inlineParameters;

    public HttpClickHouseStore(StorageOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _endpoint = ClickHouseEndpoint.From(options);
        Secrets = StoreSecrets.FromSetting(options.SecretsKey);
        var handler = new SocketsHttpHandler
        {
            // Shorter than the server's keep_alive_timeout (3 s on old servers), so we never reuse a socket it is closing.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_endpoint.User}:{_endpoint.Password}"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
    }

    public StoreKind Kind => StoreKind.Server;

    public string Location => _endpoint.Display;

    public StoreSecrets Secrets { get; }

    public async Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(sql, "TabSeparated", parameters, options, retry: false, cancellationToken);
    }

    public async Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(sql, "TabSeparatedWithNamesAndTypes", parameters, options, retry: IsReadOnly(sql), cancellationToken);
        return TabSeparatedReader.Read(await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public async Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(sql, format, parameters, options, retry: IsReadOnly(sql), cancellationToken, stream: true);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(destination, cancellationToken);
    }

    public async Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InsertOptions();
        var query = $"INSERT INTO {StoreIdentifiers.Quote(table)} ({schema.ColumnList}) FORMAT RowBinary";
        var content = new RowBinaryContent<T>(schema, rows, options, _options.Compression);
        if (_options.Compression)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        var url = BuildUrl(new QueryOptions { QueryId = options.QueryId, Settings = options.Settings }, [], null, query);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        // An insert is never retried: part of it may already be committed.
        using var response = await SendRequestAsync(request, options.QueryId, null, stream: false, cancellationToken);
        return content.RowsWritten;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<HttpResponseMessage> SendAsync(string sql, string format, QueryParameters? parameters, QueryOptions? options, bool retry,
        CancellationToken cancellationToken, bool stream = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var inline = _inlineParameters;
            var rendered = parameters is null ? [] : parameters.Render(sql);
            var text = inline && rendered.Count > 0 ? InlineParameters(sql, parameters!) : sql;
            var url = BuildUrl(options, inline ? [] : rendered, format, query: null, buffered: !stream);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
            try
            {
                return await SendRequestAsync(request, options?.QueryId, options?.Timeout, stream, cancellationToken);
            }
            catch (ClickHouseException e) when (!inline && rendered.Count > 0 && e.Code == UnknownSetting && e.ServerMessage.Contains("param_", StringComparison.Ordinal))
            {
                // The settings are checked before the query runs, so resending is safe.
                _inlineParameters = true;
            }
            catch (Exception e) when (attempt < RetryDelays.Length && IsTransient(e, retry))
            {
                await Task.Delay(RetryDelays[attempt], _time, cancellationToken);
            }
        }
    }

    private async Task<HttpResponseMessage> SendRequestAsync(HttpRequestMessage request, string? queryId, TimeSpan? timeout, bool stream, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = timeout ?? _options.Timeout;
        deadline.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"ClickHouse at {Location} did not answer within {limit.TotalSeconds:0.#} s{(queryId is null ? "" : $" (query id {queryId})")}.");
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            int? headerCode = response.Headers.TryGetValues("X-ClickHouse-Exception-Code", out var values)
                && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var code) ? code : null;
            var error = string.IsNullOrWhiteSpace(body)
                ? new ClickHouseException(headerCode ?? 0, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} with an empty body", queryId)
                : ClickHouseErrorParser.Parse(body, headerCode, queryId);
            if (error.IsAuthenticationFailure || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && error.Code == 0)
            {
                throw new StoreAuthenticationException(
                    $"ClickHouse at {Location} refused user '{_endpoint.User}': {error.ServerMessage}. Check CLICKHOUSE_USER/CLICKHOUSE_PASSWORD or the credentials in CLICKHOUSE_URL.",
                    error);
            }
            throw error;
        }
    }

    private StoreUnavailableException Unreachable(HttpRequestException e)
    {
        var reason = e.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => "host not found",
            SocketException s => s.SocketErrorCode.ToString(),
            { } inner => inner.Message,
            null => e.Message,
        };
        return new StoreUnavailableException(
            $"Cannot reach ClickHouse at {_endpoint.BaseUri.Scheme}://{_endpoint.BaseUri.Host}:{_endpoint.BaseUri.Port} ({reason}). Is the server running? Check CLICKHOUSE_URL or CLICKHOUSE_HOST/CLICKHOUSE_PORT.", e);
    }

    private static bool IsTransient(Exception e, bool readOnly) => e switch
    {
        // Nothing reached the server when the connection was refused, so any statement may be resent.
        StoreUnavailableException { InnerException: HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } } => true,
        StoreUnavailableException or TimeoutException => readOnly,
        _ => false,
    };

    private static bool IsReadOnly(string sql) =>
        ReadOnlyHeads.Any(head => sql.TrimStart().StartsWith(head, StringComparison.OrdinalIgnoreCase));

    private Uri BuildUrl(QueryOptions? options, IReadOnlyList<(string Name, string? Text)> parameters, string? format, string? query, bool buffered = false)
    {
        List<(string Name, string? Value)> pairs =
        [
            ("database", _endpoint.Database),
            ("query", query),
            ("default_format", format),
            ("query_id", options?.QueryId),
            // The server holds the answer until the query ends, so a late error still arrives as an HTTP error status.
            ("wait_end_of_query", buffered ? "1" : null),
            ("enable_http_compression", _options.Compression ? "1" : null),
            .. options?.Settings?.Select(s => (s.Key, (string?)s.Value)) ?? [],
            ("max_execution_time", options?.Timeout is { } timeout ? ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null),
            .. parameters.Select(p => ("param_" + p.Name, (string?)(p.Text ?? @"\N"))),
        ];
        var queryString = string.Join('&', pairs.Where(p => p.Value is not null).Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value!)));
        return new Uri(_endpoint.BaseUri, "?" + queryString);
    }

    /// <summary>For servers without query parameters: each placeholder becomes CAST('quoted value' AS Type).</summary>
    private static string InlineParameters(string sql, QueryParameters parameters)
    {
        var builder = new StringBuilder(sql);
        foreach (var p in SqlPlaceholders.Find(sql).OrderByDescending(p => p.Start))
        {
            var type = ClickHouseType.Parse(p.Type);
            parameters.TryGetValue(p.Name, out var value);
            var text = ParameterText.Text(value, type);
            // Old servers parse a DateTime string in the server's zone whatever the target type says; unix seconds are unambiguous.
            var literal = text is null ? "NULL"
                : ParameterText.UnwrapNullable(type).Kind == ClickHouseTypeKind.DateTime
                    ? ParameterText.Instant(value!, ParameterText.UnwrapNullable(type).TimeZone).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
                : SqlText.QuoteString(text);
            builder.Remove(p.Start, p.Length).Insert(p.Start, $"CAST({literal} AS {p.Type})");
        }
        return builder.ToString();
    }

    /// <summary>Serializes rows straight into the request stream, one chunk at a time, so memory stays flat.</summary>
    private sealed class RowBinaryContent<T>(RowSchema<T> schema, IEnumerable<T> rows, InsertOptions options, bool gzip) : HttpContent
    {
        public long RowsWritten { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var target = gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
            try
            {
                using var writer = new RowBinaryWriter(options.ChunkBytes + (options.ChunkBytes >> 2));
                long pending = 0;
                foreach (var row in rows)
                {
                    schema.Write(writer, row);
                    pending++;
                    if (writer.Length >= options.ChunkBytes)
                    {
                        await target.WriteAsync(writer.WrittenMemory, cancellationToken);
                        writer.Reset();
                        RowsWritten += pending;
                        pending = 0;
                        options.Progress?.Invoke(RowsWritten);
                    }
                }
                await target.WriteAsync(writer.WrittenMemory, cancellationToken);
                RowsWritten += pending;
                options.Progress?.Invoke(RowsWritten);
            }
            finally
            {
                if (gzip)
                {
                    await target.DisposeAsync();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
