namespace PolicyMatch.Web.Features.Search;

public static class SearchFeature
{
    /// <summary>Full-text search of measures and plan clauses.</summary>
    public static IServiceCollection AddSearchFeature(this IServiceCollection services) => services
        .AddSingleton<SearchRepository>();
}
