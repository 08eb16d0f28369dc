using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Data.Configurations;

internal sealed class MetricsSnapshotConfiguration : IEntityTypeConfiguration<MetricsSnapshot>
{
    public void Configure(EntityTypeBuilder<MetricsSnapshot> builder)
    {
        builder.HasIndex(s => new { s.StoreId, s.Window }).IsUnique();
        builder.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
