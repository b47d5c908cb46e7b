using PolicyMatch.Web.Infrastructure.Data;
using System.Text.Json;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>Settings of the notices feature (section "Notices"). Defaults suit a real SMTP server.</summary>
public sealed class NoticesOptions
{
    /// <summary>
    /// Emails rendered and handed to the sender at once. The SMTP sends themselves are bounded by the
    /// mail pool (Mail:Smtp:MaxConnections); a few more here keep rendering and recording overlapped with them.
    /// </summary>
    public int DispatchParallelism { get; set; } = 8;

    /// <summary>
    /// How long one dispatch job keeps claiming email; then it finishes the sends in flight and enqueues
    /// the next job. Bounds a job at this plus <see cref="SendTimeout"/>, well under the SQLite job
    /// storage's invisibility timeout (Jobs:InvisibilityTimeout, 5 min).
    /// </summary>
    public TimeSpan DispatchRunTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deliveries claimed per round trip; at most this many wait in 'sending' before their SMTP call starts.</summary>
    public int ClaimBatchSize { get; set; } = 16;

    /// <summary>
    /// Tries per email before it is marked failed. With the default delays that is about two hours of
    /// trying (1 + 2 + 4 + 8 + 16 + 32 + 60 min), enough to ride out an SMTP server's outage.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubled after each further one (1, 2, 4, 8 min …), capped by <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claim is held before another run may take the delivery over (a run that died without recording).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest one SMTP call may take; it must stay well below <see cref="Lease"/>.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many failures in a row (the server is down) a run stops and leaves the rest for later.</summary>
    public int PauseAfterConsecutiveFailures { get; set; } = 20;

    /// <summary>Deadline reminders go this many days before a notice's window closes.</summary>
    public int DeadlineReminderDays { get; set; } = 7;

    /// <summary>Expiry reminders go when a certificate expires within this many days (about 6 months).</summary>
    public int ExpiryReminderDays { get; set; } = 183;
}

/// <summary>Where the portal is reachable from a user's mail client (links in emails).</summary>
public sealed class PortalOptions
{
    public string BaseUrl { get; set; } = "http://localhost:5080";

    public string Url(string path) => BaseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}

public static class Channels
{
    public const string Inbox = "inbox";
    public const string Email = "email";
}

// Typed rows as the SQL returns them (snake_case columns map to these names).

/// <summary>An administrator's notice: scheduled, cancelled, or sent (then also in <c>notices</c>).</summary>
public sealed record ScheduleRow
{
    public string Id { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public DateOnly? WindowOpens { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public string SendAt { get; init; } = "";
    public NoticeStatus Status { get; init; } = NoticeStatus.Scheduled;
    public long? CreatedBy { get; init; }
    public string? CreatedByName { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? CancelledAt { get; init; }
    public string? SentAt { get; init; }
    public long? Recipients { get; init; }
    public string? SourceDocument { get; init; }

    public DateTimeOffset SendAtInstant => Stamp.Parse(SendAt) ?? throw new FormatException($"notice {Id}: bad send_at '{SendAt}'");
}

/// <summary>A line of the administrators' list: a scheduled notice, or a published one (seeds included).</summary>
public sealed record NoticeListRow
{
    public string Id { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public NoticeStatus Status { get; init; } = NoticeStatus.Scheduled;
    public string? SendAt { get; init; }
    public DateOnly? PublishedOn { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public long? Recipients { get; init; }
}

public sealed record MessageItem(string Id, string Title);

/// <summary>One thing told to a set of users (see notice_messages).</summary>
public sealed record MessageRow
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? NoticeId { get; init; }
    public long? CompanyId { get; init; }
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string Link { get; init; } = "";
    public string ItemsJson { get; init; } = "[]";
    public DateOnly? WindowOpens { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public string CreatedAt { get; init; } = "";

    public IReadOnlyList<MessageItem> Items() => MessageItems.Parse(ItemsJson);

    /// <summary>The application window as a sentence fragment, or null when the message has none.</summary>
    public string? WindowText() => WindowTexts.Of(WindowOpens, WindowCloses);
}

public static class WindowTexts
{
    public static string? Of(DateOnly? opens, DateOnly? closes) => (opens, closes) switch
    {
        ({ } o, { } c) => $"{o:yyyy-MM-dd} 至 {c:yyyy-MM-dd}",
        (null, { } c) => $"截至 {c:yyyy-MM-dd}",
        ({ } o, null) => $"{o:yyyy-MM-dd} 起",
        _ => null,
    };
}

public static class MessageItems
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<MessageItem> Parse(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<MessageItem>>(json, Json) ?? [];

    public static string Write(IEnumerable<MessageItem> items) => JsonSerializer.Serialize(items.ToList(), Json);
}

/// <summary>What a job hands to the outbox: the message and who gets it.</summary>
public sealed record MessageDraft(
    string Key, string Kind, string? NoticeId, long? CompanyId, string Title, string Body, string Link,
    IReadOnlyList<MessageItem> Items, DateOnly? WindowOpens, DateOnly? WindowCloses);

/// <summary>What one outbox write added: new deliveries per channel (0 when run again).</summary>
public sealed record OutboxWrite(long MessageId, int InboxAdded, int EmailAdded);

/// <summary>An email delivery the dispatcher claimed, with its recipient's address as it is now.</summary>
public sealed record ClaimedDelivery
{
    public long Id { get; init; }
    public long MessageId { get; init; }
    public long UserId { get; init; }
    public long Attempts { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";

    /// <summary>The user's companies the message concerns (read with the claim); empty for other messages.</summary>
    public IReadOnlyList<ConcernedCompany> Concerned { get; init; } = [];
}

/// <summary>One of the user's companies a notice concerns; <see cref="VerifiedAt"/> null while the company is unverified.</summary>
public sealed record ConcernedCompany(string Name, string? VerifiedAt);

public sealed record InboxItem
{
    /// <summary>The user's companies a notice concerns (eligible, in its regions); empty for other messages.</summary>
    public IReadOnlyList<string> Companies { get; init; } = [];

    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string Link { get; init; } = "";
    public string ItemsJson { get; init; } = "[]";
    public DateOnly? WindowOpens { get; init; }
    public DateOnly? WindowCloses { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? AcknowledgedAt { get; init; }

    /// <summary>The message is about a company whose ownership is not verified yet (the inbox says so).</summary>
    public bool CompanyUnverified { get; init; }

    public IReadOnlyList<MessageItem> Items() => MessageItems.Parse(ItemsJson);

    public string? WindowText() => WindowTexts.Of(WindowOpens, WindowCloses);
}

/// <summary>A message's deliveries counted by channel and state, for the jobs dashboard.</summary>
public sealed record MessageProgress
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public long Inbox { get; init; }
    public long Pending { get; init; }
    public long Sending { get; init; }
    public long Sent { get; init; }
    public long Failed { get; init; }
    public long Skipped { get; init; }
}

public sealed record FailedDelivery
{
    public long Id { get; init; }
    public long MessageId { get; init; }
    public string Title { get; init; } = "";
    public string Email { get; init; } = "";
    public long Attempts { get; init; }
    public string? LastError { get; init; }
    public string CreatedAt { get; init; } = "";
}

/// <summary>A user to tell, and the company whose profile qualified them.</summary>
/// <summary>
/// Who a notice would reach (<see cref="RecipientResolver.PreviewAsync"/>): how many users, the first of them by
/// user id in full, and the date of the stored matches read (null: the profiles were evaluated).
/// </summary>
public sealed record PreviewedRecipients(int Total, IReadOnlyList<Recipient> First, DateOnly? StoredAsOf)
{
    /// <summary>How many recipients a preview lists by default.</summary>
    public const int Listed = 100;
}

public sealed record Recipient(long UserId, string Email, string DisplayName, long CompanyId, string CompanyName)
{
    /// <summary>Every company of the user the message concerns (the first is CompanyId/CompanyName).</summary>
    public IReadOnlyList<long> CompanyIds { get; init; } = [CompanyId];

    public IReadOnlyList<string> CompanyNames { get; init; } = [CompanyName];
}
