namespace PolicyMatch.Web.Features.Matching;

public static class MatchingFeature
{
    /// <summary>The one decision of a match (<see cref="MatchService"/>) and the notices the matches page links.</summary>
    public static IServiceCollection AddMatchingFeature(this IServiceCollection services) => services
        .AddSingleton<MatchService>()
        .AddSingleton<NoticeLinks>();
}
