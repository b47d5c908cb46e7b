namespace PolicyMatch.Web.Features.Incubators;

public static class IncubatorsFeature
{
    /// <summary>The incubator workspace's services.</summary>
    public static IServiceCollection AddIncubatorsFeature(this IServiceCollection services) => services
        .AddSingleton<IncubatorRepository>()
        .AddSingleton<TenantCsv>()
        .AddSingleton<TenantMatrixBuilder>()
        .AddSingleton<TenantLinks>()
        .AddSingleton<TenantImports>();
}
