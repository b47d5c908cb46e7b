using Microsoft.Extensions.Options;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Profiles;

public static class ProfilesFeature
{
    /// <summary>The company profile's validation, with the national industry codes (GB/T 4754-2017) from the seeds.</summary>
    public static IServiceCollection AddProfilesFeature(this IServiceCollection services) => services
        .AddSingleton(sp => Industries.Load(Path.Combine(
            sp.GetRequiredService<IOptions<SeedOptions>>().Value.Directory, "reference", "gbt4754-2017-industries.tsv")))
        .AddSingleton<ProfileValidator>();
}
