using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wallboard.Web.Ingest.Simulator;

public static class SimulatorExtensions
{
    /// <summary>
    /// The call simulator (§8): plays dealership traffic through the ingest pipeline. Settings in
    /// <c>Wallboard:Simulator</c> (<see cref="SimulatorOptions"/>); by default it runs only on the
    /// seeded demo database. Register it after the ingest pipeline, so that on shutdown it stops
    /// (and ends its calls in progress) before the pipeline does.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardSimulator(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName))
            .Validate(o => o.IsValid, $"{SimulatorOptions.SectionName}: Speed must be above 0 (at most 100000) and the calls per day from 0 to 100000.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<CallSimulator>();
        return builder;
    }
}
