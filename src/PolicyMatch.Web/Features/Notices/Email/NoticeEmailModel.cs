using System.Text;

namespace PolicyMatch.Web.Features.Notices.Email;

/// <summary>A link the email lists: a measure's title and its page.</summary>
public sealed record EmailLink(string Text, string Url);

/// <summary>
/// Everything one notice email says, for one recipient. The HTML body is NoticeEmail.razor (rendered
/// with HtmlRenderer); the plain-text body is <see cref="Text"/> below, from the same model, so the two
/// cannot drift apart. Emails are written in Chinese whatever the request's language.
/// </summary>
public sealed record NoticeEmailModel(
    string Kind,
    string Title,
    string RecipientName,
    string Body,
    string? Window,
    IReadOnlyList<EmailLink> Measures,
    string Link,
    string LinkText,
    string UnsubscribeUrl,
    string SubscriptionsUrl)
{
    /// <summary>The recipient's companies the notice concerns (eligible and in its regions); empty for other messages.</summary>
    public IReadOnlyList<string> Companies { get; init; } = [];

    /// <summary>Those of <see cref="Companies"/> whose ownership no administrator has verified yet (issue 14 item 8).</summary>
    public IReadOnlySet<string> Unverified { get; init; } = new HashSet<string>();

    /// <summary>Names the user's companies, so someone in several knows which one to act for, and says which are unverified.</summary>
    public string? Concerns => Companies.Count == 0 ? null
        : $"这条通知与您的企业{string.Join("、", Companies.Select(c => $"“{c}”" + (Unverified.Contains(c) ? "(企业未核验)" : "")))}有关:"
            + $"{(Companies.Count == 1 ? "该企业" : "这些企业")}在通知面向的地区内,且符合所关联政策的条件。"
            + (Unverified.Count == 0 ? "" : "标为“企业未核验”的企业,管理员尚未核验其所有权:请在门户中上传营业执照等证明材料。");

    public string KindLabel => NoticeKind.ChineseLabel(Kind);

    public string Subject => $"【{KindLabel}】{Title}";

    public string Greeting => $"{RecipientName},您好:";

    /// <summary>The body's paragraphs (blank lines separate them; single newlines stay within one).</summary>
    public IReadOnlyList<string> Paragraphs =>
        Body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>'account' messages ask for the user's decision: not a subscription, so no unsubscribe link.</summary>
    public bool CanUnsubscribe => Kind != NoticeKind.Account;

    public string Reason => CanUnsubscribe
        ? $"您收到这封邮件,是因为您在惠企政策精准匹配平台订阅了“{KindLabel}”。"
        : "您收到这封邮件,是因为惠企政策精准匹配平台上有一项与您的账户或企业有关、需要您处理的事项。";

    public string Text()
    {
        var text = new StringBuilder();
        text.AppendLine($"惠企政策精准匹配 · {KindLabel}");
        text.AppendLine();
        text.AppendLine(Title);
        text.AppendLine(new string('=', Math.Min(40, Title.Length * 2)));
        text.AppendLine();
        text.AppendLine(Greeting);
        text.AppendLine();
        if (Concerns is not null)
        {
            text.AppendLine(Concerns);
            text.AppendLine();
        }
        text.AppendLine(NoticeMarkup.ToText(Body));
        text.AppendLine();
        if (Window is not null)
        {
            text.AppendLine($"申报时间:{Window}");
            text.AppendLine();
        }
        if (Measures.Count > 0)
        {
            text.AppendLine("相关政策:");
            foreach (var m in Measures)
            {
                text.AppendLine($"- {m.Text}  {m.Url}");
            }
            text.AppendLine();
        }
        text.AppendLine($"{LinkText}:{Link}");
        text.AppendLine();
        text.AppendLine("--");
        text.AppendLine(Reason);
        if (CanUnsubscribe)
        {
            text.AppendLine($"退订此类邮件(无需登录):{UnsubscribeUrl}");
        }
        text.AppendLine($"管理全部订阅:{SubscriptionsUrl}");
        return text.ToString();
    }
}
