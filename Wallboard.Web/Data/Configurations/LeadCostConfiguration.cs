using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class LeadSourceSpendConfiguration : IEntityTypeConfiguration<LeadSourceSpend>
{
    public void Configure(EntityTypeBuilder<LeadSourceSpend> builder)
    {
        builder.HasIndex(s => new { s.LeadSourceId, s.Month }).IsUnique();
        builder.HasIndex(s => new { s.StoreId, s.Month });
        builder.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LeadSource>().WithMany().HasForeignKey(s => s.LeadSourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SalesCallValueConfiguration : IEntityTypeConfiguration<SalesCallValue>
{
    public void Configure(EntityTypeBuilder<SalesCallValue> builder)
    {
        builder.HasKey(v => v.StoreId);
        builder.Property(v => v.StoreId).ValueGeneratedNever();
        builder.HasOne<Store>().WithOne().HasForeignKey<SalesCallValue>(v => v.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
