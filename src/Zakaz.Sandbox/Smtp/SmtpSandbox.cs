using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Zakaz.Sandbox.Smtp;

/// <summary>
/// A local SMTP server on 127.0.0.1 (the SmtpServer package) that keeps every message it accepts: STARTTLS or implicit
/// TLS with a self-signed certificate made in memory for <c>localhost</c>, or plain; AUTH PLAIN and LOGIN with the
/// configured login, required when one is set. Tests use it in-process; <c>zakaz sandbox smtp</c> runs it in the foreground.
/// </summary>
public sealed class SmtpSandbox : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SmtpMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private SmtpSandbox(SmtpSandboxOptions options, X509Certificate2? certificate)
    {
        Security = options.Security;
        User = options.User;
        Password = options.Password;
        Certificate = certificate;
    }

    public int Port { get; private set; }

    public string Host => "127.0.0.1";

    public SmtpSandboxSecurity Security { get; }

    public string? User { get; }

    public string? Password { get; }

    /// <summary>The self-signed certificate it presents; null for plain SMTP.</summary>
    public X509Certificate2? Certificate { get; }

    public IReadOnlyList<SmtpMessage> Messages => _gate.Locked(() => (IReadOnlyList<SmtpMessage>)[.. _messages]);

    /// <summary>Raised for each accepted message, on the session's thread.</summary>
    public event Action<SmtpMessage>? MessageReceived;

    public static async Task<SmtpSandbox> StartAsync(SmtpSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SmtpSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        if ((options.User is null) != (options.Password is null))
        {
            throw new ArgumentException("Give the SMTP sandbox both a user and a password, or neither.", nameof(options));
        }
        var sandbox = new SmtpSandbox(options, options.Security == SmtpSandboxSecurity.None ? null : SelfSignedCertificate());
        await sandbox.ListenAsync(options.Port, cancellationToken);
        return sandbox;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            _server.Shutdown();
            await _stop.CancelAsync();
            try
            {
                await _running!;
            }
            catch (OperationCanceledException)
            {
                // The server's own way of saying it stopped.
            }
        }
        _stop.Dispose();
        Certificate?.Dispose();
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var secure = Security != SmtpSandboxSecurity.None;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                    .IsSecure(Security == SmtpSandboxSecurity.Tls)
                    .AuthenticationRequired(User is not null)
                    .AllowUnsecureAuthentication(!secure);
                if (Certificate is not null)
                {
                    endpoint.Certificate(Certificate);
                }
            })
            .Build();
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, password) =>
            string.Equals(user, User, StringComparison.Ordinal) && string.Equals(password, Password, StringComparison.Ordinal)));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
        _ = _running.ContinueWith(t => started.TrySetException(t.Exception?.InnerException ?? new IOException("The SMTP sandbox stopped before it listened.")),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Port = await started.Task.WaitAsync(cancellationToken);
    }

    private void Accept(SmtpMessage message)
    {
        _gate.Locked(() => _messages.Add(message));
        MessageReceived?.Invoke(message);
    }

    /// <summary>A certificate for localhost and 127.0.0.1, valid for a day; exported and loaded again so every platform's TLS can use its key.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private sealed class Store(SmtpSandbox sandbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sandbox.Accept(new SmtpMessage(transaction.From.AsAddress(), [.. transaction.To.Select(to => to.AsAddress())], message.Subject ?? "",
                message.TextBody ?? "", context.Authentication.IsAuthenticated ? context.Authentication.User : null, context.Pipe.IsSecure));
            return SmtpResponse.Ok;
        }
    }
}
