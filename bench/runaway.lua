-- wrk script for bench/runaway.sh: every request is a submission of procedure 1.004227 whose
-- change text (RUNAWAY_TRIGGER) makes the published eligibility rule run away. Each one must be
-- stopped at its budget: 422 `rule_budget_exceeded`. The bearer token comes from MOTCUA_TOKEN.
-- At the end it prints one `RESULT …` line that runaway.sh parses: `stopped` counts the 422
-- `rule_budget_exceeded` answers, `other` every other answer.

local trigger = os.getenv("RUNAWAY_TRIGGER") or "none"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("MOTCUA_TOKEN") or "none")
wrk.body = [[{"procedure":"1.004227","channel":"online",]]
  .. [["form":{"don_dang_ky":{"doi_tuong":"ca_nhan","loai_thay_doi":"ho_ten",]]
  .. [["nguoi_nop":{"ho_ten":"Nguyễn Văn An","ngay_sinh":"1990-05-01","so_dinh_danh":"064090001234"},]]
  .. [["thua_dat":{"so_thua":125,"to_ban_do":14,"dia_chi":"Phường Hội Thương, Pleiku","so_giay_chung_nhan":"CS 123456"},]]
  .. [["noi_dung_thay_doi":"]] .. trigger .. [["}},]]
  .. [["documents":["don","gcn","giay_to_thay_doi"],]]
  .. [["applicant":{"name":"Nguyễn Văn An","phone":"0912345678"}}]]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  stopped = 0
  other = 0
  first_other = ""
end

function response(status, headers, body)
  if status == 422 and string.find(body or "", '"code":"rule_budget_exceeded"', 1, true) then
    stopped = stopped + 1
  else
    other = other + 1
    if first_other == "" then first_other = status .. " " .. string.sub(body or "", 1, 200) end
  end
end

function done(summary, latency, requests)
  local stopped_all, other_all, sample = 0, 0, ""
  for _, thread in ipairs(threads) do
    stopped_all = stopped_all + thread:get("stopped")
    other_all = other_all + thread:get("other")
    local s = thread:get("first_other")
    if sample == "" and s ~= nil then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f stopped=%d other=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, stopped_all, other_all,
    e.connect + e.read + e.write + e.timeout))
  if sample ~= "" then io.write("FIRST_OTHER " .. sample .. "\n") end
end
