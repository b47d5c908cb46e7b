namespace PolicyMatch.Rules;

/// <summary>The three-valued result of one criterion.</summary>
public enum CriterionResult
{
    Met,
    NotMet,

    /// <summary>A fact the criterion needs is absent (or null), so it can be neither met nor not met.</summary>
    Unknown,
}

/// <summary>A measure's overall result for one profile on one date.</summary>
public enum Outcome
{
    /// <summary>Every criterion is met (also: a measure with no criteria).</summary>
    Eligible,

    /// <summary>No criterion failed, at least one is unknown: the profile lacks facts.</summary>
    NeedsInformation,

    /// <summary>At least one criterion is not met.</summary>
    NotEligible,
}

/// <summary>Result of a rule in three-valued (Kleene) mode, with the facts whose absence made it unknown.</summary>
public sealed record ThreeValuedResult(CriterionResult Result, IReadOnlyList<string> MissingFacts);
