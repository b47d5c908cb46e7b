namespace PolicyMatch.Web.Features.Incubators;

public static class IncubatorFeature
{
    /// <summary>The incubator workspace's services (the repository itself is registered in Program.cs).</summary>
    public static IServiceCollection AddIncubatorFeature(this IServiceCollection services) => services
        .AddSingleton<TenantCsv>()
        .AddSingleton<TenantMatrixBuilder>()
        .AddSingleton<TenantLinks>()
        .AddSingleton<TenantImports>();
}
