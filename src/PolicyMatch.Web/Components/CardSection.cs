namespace PolicyMatch.Web.Components;

/// <summary>
/// One section of the matches page: a heading with the number of its cards, a hint saying what they
/// have in common, and the cards. A reference list (not eligible, expired) is collapsed under its
/// heading unless <see cref="Open"/>.
/// </summary>
/// <param name="Css">The section's class and id (<c>eligible</c>, <c>upcoming</c>, <c>expired</c> …), the target of the page's counts.</param>
public sealed record CardSection(string Css, string Title, string Hint, IReadOnlyList<MeasureCardModel> Cards)
{
    public bool Collapsed { get; init; }

    /// <summary>A collapsed section shown open (the visitor asked for exactly these measures).</summary>
    public bool Open { get; init; }
}
