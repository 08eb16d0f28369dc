using Microsoft.Extensions.Options;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Privacy;

public static class PrivacyExtensions
{
    public const string AdminPolicy = "PrivacyAdmin";

    /// <summary>Retention settings (checked at start-up), the anonymization key, the caller export and erase.</summary>
    public static IHostApplicationBuilder AddWallboardPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<PrivacyOptions>>().Value;
            var configuration = services.GetRequiredService<IConfiguration>();
            return PrivacyKey.LoadOrCreate(options.KeyFile ?? Path.Combine(configuration.DataDirectory(), PrivacyKey.DefaultFileName));
        });
        builder.Services.AddSingleton<CallerPrivacy>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(nameof(WallboardRole.Admin)));
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardPrivacy(this IEndpointRouteBuilder app) => app.MapPrivacyEndpoints();

    /// <summary>Says exactly which setting is wrong, so the app refuses to start with a message a person can act on.</summary>
    private sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
