using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Data.Configurations;

internal sealed class MetricsDailyRollupConfiguration : IEntityTypeConfiguration<MetricsDailyRollup>
{
    public void Configure(EntityTypeBuilder<MetricsDailyRollup> builder)
    {
        // One row per store and day: ingest's mark and the writers' claim are upserts on it.
        builder.HasIndex(r => new { r.StoreId, r.Day }).IsUnique();
        builder.HasOne<Store>().WithMany().HasForeignKey(r => r.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
