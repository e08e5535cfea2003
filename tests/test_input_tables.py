"""Text tables: a byte-order mark is dropped, a header line is taken only where the format has one and only
when it names the columns, and a mistyped first row is an error naming the file and line."""

import numpy as np
import pytest

from astrocevns.tables import io

BOM = "\ufeff"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_byte_order_mark_before_the_first_data_row_keeps_the_row(tmp_path):
    path = write(tmp_path, "flux.csv", BOM + "1.0,2.0\n2.0,4.0\n3.0,1.0\n")
    E, value = io.read_spectrum_table(path)
    assert E.tolist() == [1.0, 2.0, 3.0] and value.tolist() == [2.0, 4.0, 1.0]


def test_byte_order_mark_before_a_header_or_a_comment(tmp_path):
    E, _ = io.read_spectrum_table(write(tmp_path, "a.csv", BOM + "E_nu_MeV,flux\n1,2\n2,3\n"))
    assert E.tolist() == [1.0, 2.0]
    E, _ = io.read_efficiency_table(write(tmp_path, "b.csv", BOM + "# efficiency\n0,0\n5,0.5\n"))
    assert E.tolist() == [0.0, 5.0]


@pytest.mark.parametrize("first_row", ["1.O,2.0", "O.5,0.3", "1,2.0x", "l.0,2", "1_0,2", "1.0;2.0", "E_nu_MeV,2"])
def test_mistyped_first_row_is_an_error_with_file_and_line(tmp_path, first_row):
    path = write(tmp_path, "flux.csv", f"{first_row}\n2.0,4.0\n3.0,1.0\n")
    with pytest.raises(io.InputError, match=r"flux\.csv, line 1: (non-numeric value|expected 2 columns)"):
        io.read_spectrum_table(path)


def test_mistyped_first_row_after_comments_names_its_line(tmp_path):
    path = write(tmp_path, "eff.csv", "# XENON1T\n# E_r, eps\n0.5,O.1\n1,0.5\n")
    with pytest.raises(io.InputError, match=r"eff\.csv, line 3: non-numeric value 'O.1'"):
        io.read_efficiency_table(path)


def test_header_only_as_the_first_line(tmp_path):
    path = write(tmp_path, "flux.csv", "E,value\n1,2\nE,value\n3,4\n")
    with pytest.raises(io.InputError, match=r"flux\.csv, line 3: non-numeric value 'E'"):
        io.read_spectrum_table(path)


@pytest.mark.parametrize("header", ["E_nu_MeV,flux_per_cm2_s_MeV", "E [MeV],dN/dE (cm^-2 MeV^-1)", "m_MeV,coupling"])
def test_named_columns_are_a_header(tmp_path, header):
    E, value = io.read_spectrum_table(write(tmp_path, "t.csv", f"{header}\n1,2\n2,3\n"))
    assert E.tolist() == [1.0, 2.0] and value.tolist() == [2.0, 3.0]


def test_garching_format_has_no_header_line(tmp_path):
    path = write(tmp_path, "nue.dat", "time L E E2\n0.0 1 10 120\n0.1 1 10 120\n")
    with pytest.raises(io.InputError, match=r"nue\.dat, line 1: non-numeric value 'time'"):
        io.read_garching_timeseries(path)
    history = io.read_garching_timeseries(write(tmp_path, "bom.dat", BOM + "0.0 1 10 120\n0.1 1 10 120\n"))
    assert history.time_s.tolist() == [0.0, 0.1]


def test_core_profile_with_byte_order_mark(tmp_path):
    rows = "\n".join(f"{r},1e14,10,0.3,100,200" for r in (5.0, 20.0, 50.0))
    profile = io.read_core_profile(write(tmp_path, "core.csv", BOM + "r_km,rho,T,Ye,mu_nu,mu_e\n" + rows + "\n"))
    assert np.allclose(profile.radius_km, [5.0, 20.0, 50.0])


def test_limit_curve_with_byte_order_mark(tmp_path):
    text = BOM + "# name: test\n# citation: none\n# mediator: vector\n# convention: g\nm_MeV,coupling\n1,1e-5\n2,2e-5\n"
    header, m, g = io.read_limit_curve(write(tmp_path, "limit.csv", text))
    assert header["name"] == "test" and m.tolist() == [1.0, 2.0]


def test_text_that_is_not_utf8_is_named(tmp_path):
    path = write(tmp_path, "flux.csv", "# spectrum\n1,2\n2,3 \xb5\n", encoding="latin-1")
    with pytest.raises(io.InputError, match=r"flux\.csv, line 3: not UTF-8 text"):
        io.read_spectrum_table(path)
