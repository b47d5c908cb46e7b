using PolicyMatch.Rules;

namespace PolicyMatch.Web.Features.Catalog;

public static class CatalogFeature
{
    /// <summary>The catalog of plans and measures: its store, the compiled cache, the importer and the seeds loaded at start.</summary>
    public static IServiceCollection AddCatalogFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SeedOptions>(configuration.GetSection("Seeds"));
        services.Configure<CatalogOptions>(configuration.GetSection("Catalog"));
        return services
            .AddSingleton<EligibilityEngine>()
            .AddSingleton<CatalogRepository>()
            .AddSingleton<CatalogCache>()
            .AddSingleton<CatalogImporter>()
            .AddSingleton<Seeder>();
    }
}
