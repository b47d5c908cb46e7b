using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

namespace PolicyMatch.Web.Infrastructure.Mail;

public sealed class MailOptions
{
    /// <summary>Where emails are written as .eml files when no SMTP host is configured.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    public string From { get; set; } = "PolicyMatch <noreply@policymatch.local>";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Empty: no SMTP server; emails go to the pickup folder.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public bool EnableSsl { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

/// <summary>An email with both bodies; <see cref="Headers"/> carries e.g. List-Unsubscribe.</summary>
public sealed record EmailMessage(string To, string Subject, string HtmlBody, string TextBody, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>The one way the portal sends email. Requests never call it: they write outbox rows.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// System.Net.Mail behind <see cref="IEmailSender"/> (MailKit is not in the registry here). With an SMTP
/// host it delivers to the server; without one it writes each message as an .eml file to the pickup
/// folder, so the portal runs on a fresh machine with nothing else installed. One SmtpClient sends one
/// message at a time, so a client is made per send and callers parallelise.
/// </summary>
public sealed class SmtpEmailSender(IOptions<MailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        using var mail = Build(o.From, message);
        using var client = new SmtpClient();
        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            var folder = Path.GetFullPath(o.PickupDirectory);
            Directory.CreateDirectory(folder);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = folder;
        }
        else
        {
            client.Host = o.Smtp.Host;
            client.Port = o.Smtp.Port;
            client.EnableSsl = o.Smtp.EnableSsl;
            if (!string.IsNullOrEmpty(o.Smtp.UserName))
            {
                client.Credentials = new NetworkCredential(o.Smtp.UserName, o.Smtp.Password);
            }
        }
        await client.SendMailAsync(mail, cancellationToken);
    }

    internal static MailMessage Build(string from, EmailMessage message)
    {
        var mail = new MailMessage(new MailAddress(from), new MailAddress(message.To))
        {
            // UTF-8 everywhere: Chinese subjects are encoded as RFC 2047 words, bodies as base64/quoted-printable.
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            Body = message.TextBody,
            IsBodyHtml = false,
        };
        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, "text/html"));
        foreach (var (name, value) in message.Headers ?? new Dictionary<string, string>())
        {
            mail.Headers.Add(name, value);
        }
        return mail;
    }
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection("Mail"));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }
}
