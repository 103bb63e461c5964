# Sourced by the .ci checks: renders every built-in template's fixture (bao-cao-thang
# aside: `vanban summary` fills it from an archive) in both standards, each record, into
# "$1" as "all-TEMPLATE-STANDARD-NUMBER.{docx,pdf}" (formats in "$2"). The drafted plan
# gets its issuing body's fields as a user sets them. .ci/page_rules.py reads the same list.
render_all() {
    local out=$1 formats=$2 t data std
    local -a sets
    for t in ke-hoach bien-ban bao-cao ke-hoach-trien-khai cong-van quyet-dinh to-trinh thong-bao giay-moi; do
        data="fixtures/data/$t.json"
        sets=()
        if [ "$t" = ke-hoach-trien-khai ]; then
            data=fixtures/data/chi-thi-45.json
            sets=(--set "co_quan=UBND HUYỆN CHỢ ĐỒN" --set "so=12/KH-UBND" --set "dia_danh=Chợ Đồn"
                  --set "ngay=2020-07-02" --set "nguoi_ky=Hoàng Văn A" --set "chuc_vu_ky=CHỦ TỊCH")
        fi
        for std in nha-nuoc dang; do
            "$bin" render -q -f "$formats" -o "$out" -t "$t" -d "$data" --set "standard=$std" \
                "${sets[@]}" --name "all-$t-$std-{{ so }}" 2>/dev/null
        done
    done
}
