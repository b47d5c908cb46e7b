using PolicyMatch.Rules;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// How a fact is named to a person (missing-facts lists, errors, reports), in the request's language. The labels
/// themselves live in the one vocabulary, <see cref="Facts"/>.
/// </summary>
public static class FactLabels
{
    /// <summary>The label of a fact or of a certificate part ("hightech_certificate.expires_on"); the key itself when the vocabulary does not know it.</summary>
    public static string Of(string fact) => Facts.LabelOf(fact) is { } l ? T(l.Zh, l.En) : fact;

    /// <summary>How the profile form asks for the fact (often its label; a question where the form words it so).</summary>
    public static string OnForm(string fact) => Facts.Find(fact) is { } f ? T(f.FormLabelZh, f.FormLabelEn) : Of(fact);

    /// <summary>The label of a coded value ("little_giant" → 专精特新“小巨人”), or the value as stored when it has none.</summary>
    public static string OfValue(string fact, string value) =>
        Facts.Find(fact)?.Choices.FirstOrDefault(c => c.Value == value) is { } c ? T(c.Zh, c.En) : value;
}
