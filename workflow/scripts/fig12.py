"""Fig. 12: the three mass regimes, 2 m_T E_r >> m^2, ~ m^2 and << m^2, with the SM normalisation band."""

from astrocevns import io, logs, plotting

logs.to_file(snakemake.log[0])
p = snakemake.params.figure
table, meta = io.read_parquet(snakemake.input[0])
rows = table[table.target == p["target"]]
sm = rows[rows.mediator == "sm"]
regimes = ["$2 m_T E_r \\gg m^2$", "$2 m_T E_r \\sim m^2$", "$2 m_T E_r \\ll m^2$"]
fig, axes = plotting.panels(len(p["curves"]))
for ax, curve, regime in zip(axes[0], p["curves"], regimes):
    ax.fill_between(sm.E_r_keV, (1 - p["sigma"]) * sm.rate_per_keV_t, (1 + p["sigma"]) * sm.rate_per_keV_t,
                    color=plotting.GREY, alpha=0.25, linewidth=0, label=f"SM $\\pm$ {100 * p['sigma']:.0f} %")
    ax.plot(sm.E_r_keV, sm.rate_per_keV_t, color="k", label="SM")
    for mediator, style in zip(p["mediators"], ["--", ":"]):
        new = rows[(rows.mediator == mediator) & (rows.g == curve["g"]) & (rows.m_MeV == curve["m_MeV"])]
        ax.plot(new.E_r_keV, new.rate_per_keV_t, color=plotting.TARGET_COLOURS[p["target"]], linestyle=style,
                label=plotting.MEDIATOR_LABELS[mediator])
    ax.axvline(p["threshold_keV"], color=plotting.GREY, linewidth=0.8, linestyle=(0, (1, 2)))
    ax.set_xlim(0, 40.0)
    plotting.decade_log_axes(ax, "y")
    plotting.clip_rate_axis(ax, sm, 0.5 * p["threshold_keV"], 40.0, decades=4)
    ax.set_xlabel("recoil energy $E_r$ [keV]")
    ax.set_title(f"{regime}: $m = {curve['m_MeV']:g}$ MeV, $g = {plotting.latex_number(curve['g'])}$", fontsize=8)
axes[0, 0].set_ylabel(f"$dR/dE_r$ [keV$^{{-1}}$ t$^{{-1}}$], {plotting.SOURCE_LABELS[meta['source']]} on {p['target']}")
fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=4)
plotting.save(fig, snakemake.output.pdf, snakemake.output.png)
