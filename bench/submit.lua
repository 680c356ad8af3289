-- wrk script for bench/submit.sh: every request is a valid submission of procedure 1.004227
-- (the body of tests/api/dossiers.rs `land_change()`), so each one creates a new dossier.
-- The bearer token comes from the MOTCUA_TOKEN environment variable (ignored by the bare
-- server). At the end it prints one `RESULT …` line that submit.sh parses; `non201` counts
-- every response whose status is not 201.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("MOTCUA_TOKEN") or "none")
wrk.body = [[{"procedure":"1.004227","channel":"online",]]
  .. [["form":{"don_dang_ky":{"doi_tuong":"ca_nhan","loai_thay_doi":"ho_ten",]]
  .. [["nguoi_nop":{"ho_ten":"Nguyễn Văn An","ngay_sinh":"1990-05-01","so_dinh_danh":"064090001234"},]]
  .. [["thua_dat":{"so_thua":125,"to_ban_do":14,"dia_chi":"Phường Hội Thương, Pleiku","so_giay_chung_nhan":"CS 123456"},]]
  .. [["noi_dung_thay_doi":"Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"}},]]
  .. [["documents":["don","gcn","giay_to_thay_doi"],]]
  .. [["applicant":{"name":"Nguyễn Văn An","phone":"0912345678"}}]]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non201 = 0
  first_bad = ""
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 200) end
  end
end

function done(summary, latency, requests)
  local bad, sample = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non201")
    local s = thread:get("first_bad")
    if sample == "" and s ~= nil then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f non201=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad,
    e.connect + e.read + e.write + e.timeout))
  if sample ~= "" then io.write("FIRST_NON201 " .. sample .. "\n") end
end
